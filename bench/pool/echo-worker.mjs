// Worker of bench/pool/choice.ts: the smallest tasks a pool can run, to time the pool itself.
//   {kind: 'empty'}                → 0
//   {kind: 'sum', data: Float64Array} → { sum, data } (the buffer goes back, transferred)
export default function task(input) {
  if (input.kind === 'empty') return 0;
  let sum = 0;
  const data = input.data;
  for (let k = 0; k < data.length; k++) sum += data[k];
  return { sum, data };
}
