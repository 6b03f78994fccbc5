#!/usr/bin/env python3
"""PyTorch peer of `npm run bench`: the same work as bench/suites, timed in PyTorch on one CPU thread,
printed as JSON lines with the same keys (suite, name, value, unit) so the ratio can be measured on
any machine in one run:

    python3 bench/peers/pytorch_peer.py                  # all suites
    python3 bench/peers/pytorch_peer.py svd jacobian     # some suites
    python3 bench/peers/pytorch_peer.py --quick          # fewer repeats

`npm run bench` finds a Python with torch (INVERSA_PYTHON, else python3, else /usr/bin/python3),
runs this script once before its own suites, and compares each line by '<suite>/<name>'
(bench/peers/published.ts lists the keys). Keep the names stable.

Work (matching the TypeScript suites):
  svd       singular values (rank, cond) of a batch of 10,000 random 4×7 matrices; and with U, V
  jacobian  exact Jacobians of the tanh 7→64→64→4 fixture (test/fixtures/tanh_mlp_7x64x64x4.onnx)
            at 10,000 standard-normal points, batched autograd (vmap(jacrev), or on PyTorch 1.x one
            batched reverse pass per output), float64
  solve     batched 20-iteration Gauss–Newton with torch.linalg.pinv on 10,000 targets of that model
            (median of 3 runs; 1 with --quick)
  train     training throughput of a 7→64→64→4 ReLU MLP, batch 64, Adam, float32 (samples/s)
  scaling   the jacobian, solve and train work again with torch.set_num_threads(2) (names end in
            -2threads), for bench/suites/scaling.ts's lines at equal thread count (issue 16)

Without PyTorch (Debian: apt-get install python3-torch) it prints one JSON line saying it skipped,
and exits 0: the peer is optional and CI does not need it.
"""
import json
import os
import platform
import statistics
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "..", "test", "fixtures", "tanh_mlp_7x64x64x4.onnx")
POINTS = 10_000
SVD_SHAPE = (4, 7)
GAUSS_NEWTON_ITERATIONS = 20
TRAIN_BATCH = 64
TRAIN_ROWS = 4096
REPEAT = 7
WARMUP = 2
QUICK_REPEAT = 3
QUICK_WARMUP = 1
SOLVE_WARMUP_TARGETS = 200
SOLVE_REPEAT = 3
QUICK = False  # set by --quick: fewer repeats
SEED = 7


def emit(suite, name, value, unit, peer, **extra):
    """One figure; `peer` says in words what PyTorch did (the harness prints it as the line's peer)."""
    print(json.dumps({"suite": suite, "name": name, "value": value, "unit": unit, "peer": peer, **extra}), flush=True)


def time_median_ms(work, repeat=None, warmup=None):
    repeat = repeat if repeat is not None else (QUICK_REPEAT if QUICK else REPEAT)
    warmup = warmup if warmup is not None else (QUICK_WARMUP if QUICK else WARMUP)
    for _ in range(warmup):
        work()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


# --- a minimal ONNX reader: just the Gemm initializers of the fixture (no `onnx` package needed) ---

def _varint(data, offset):
    value, shift = 0, 0
    while True:
        byte = data[offset]
        offset += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, offset
        shift += 7


def _fields(data):
    """Yield (field number, wire type, value) of one protobuf message."""
    offset = 0
    while offset < len(data):
        key, offset = _varint(data, offset)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, offset = _varint(data, offset)
        elif wire == 1:
            value, offset = data[offset:offset + 8], offset + 8
        elif wire == 2:
            length, offset = _varint(data, offset)
            value, offset = data[offset:offset + length], offset + length
        elif wire == 5:
            value, offset = data[offset:offset + 4], offset + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        yield field, wire, value


def _tensor(message):
    """TensorProto → (name, dims, list of floats). Fields: dims 1, data_type 2, float_data 4, name 8, raw_data 9, double_data 10."""
    name, dims, data_type, raw, floats = "", [], 1, None, []
    for field, wire, value in _fields(message):
        if field == 1:
            if wire == 2:
                offset = 0
                while offset < len(value):
                    dim, offset = _varint(value, offset)
                    dims.append(dim)
            else:
                dims.append(value)
        elif field == 2:
            data_type = value
        elif field == 8:
            name = value.decode()
        elif field == 9:
            raw = value
        elif field == 4 and wire == 2:
            floats.extend(struct.unpack(f"<{len(value) // 4}f", value))
        elif field == 10 and wire == 2:
            floats.extend(struct.unpack(f"<{len(value) // 8}d", value))
    if raw is not None:
        floats = list(struct.unpack(f"<{len(raw) // 4}f", raw) if data_type == 1 else struct.unpack(f"<{len(raw) // 8}d", raw))
    return name, dims, floats


def read_gemm_layers(path):
    """[(weight out×in, bias)] of the Gemm nodes in graph order (nn.Linear exports: transB = 1)."""
    with open(path, "rb") as handle:
        model = handle.read()
    graph = next(value for field, _, value in _fields(model) if field == 7)
    initializers, gemm_inputs = {}, []
    for field, _, value in _fields(graph):
        if field == 5:
            name, dims, data = _tensor(value)
            initializers[name] = (dims, data)
        elif field == 1:
            node_inputs, op_type = [], ""
            for node_field, _, node_value in _fields(value):
                if node_field == 1:
                    node_inputs.append(node_value.decode())
                elif node_field == 4:
                    op_type = node_value.decode()
            if op_type == "Gemm":
                gemm_inputs.append(node_inputs)
    return [(initializers[inputs[1]], initializers[inputs[2]]) for inputs in gemm_inputs]


def main():
    global QUICK
    QUICK = "--quick" in sys.argv[1:]
    wanted = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    # The machine may be shared (several processes per core): OpenMP threads that spin at barriers
    # then make PyTorch at 2 threads several times slower than at 1 (measured here: 692 ms vs 147 ms
    # for the 2-thread Jacobians). Passive waiting is the fair setting for the peer; an explicit
    # OMP_WAIT_POLICY in the environment wins.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        import torch
    except ImportError:
        print(json.dumps({"kind": "skipped", "peer": "pytorch", "message": "PyTorch is not installed (Debian: apt-get install python3-torch); the PyTorch peer is skipped"}), flush=True)
        return 0
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    print(json.dumps({
        "kind": "machine", "cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(),
        "python": platform.python_version(), "torch": torch.__version__, "threads": torch.get_num_threads(),
        "ompWaitPolicy": os.environ.get("OMP_WAIT_POLICY"),
    }), flush=True)
    suites = {"svd": run_svd, "jacobian": run_jacobian, "solve": run_solve, "train": run_train, "scaling": run_scaling}
    for name, run in suites.items():
        if wanted and not any(name.startswith(w) for w in wanted):
            continue
        try:
            run(torch)
        except Exception as error:  # report and go on with the other suites
            print(json.dumps({"suite": name, "error": f"{type(error).__name__}: {error}"}), flush=True)
    return 0


def run_scaling(torch):
    """The jacobian, solve and train figures at 2 threads (names suffixed -2threads), then back to 1."""
    torch.set_num_threads(2)
    try:
        for run in (run_jacobian, run_solve, run_train):
            run(torch, threads=2)
    finally:
        torch.set_num_threads(1)


def thread_words(threads):
    return "1 CPU thread" if threads == 1 else f"{threads} CPU threads (torch.set_num_threads({threads}))"


def thread_suffix(threads):
    return "" if threads == 1 else f"-{threads}threads"


def run_svd(torch):
    batch = torch.randn(POINTS, *SVD_SHAPE, dtype=torch.float64)

    def values_only():
        s = torch.linalg.svdvals(batch)
        rtol = max(SVD_SHAPE) * torch.finfo(torch.float64).eps
        rank = (s > rtol * s[:, :1]).sum(dim=1)
        cond = s[:, 0] / s[:, -1]
        return rank, cond

    ms = time_median_ms(values_only)
    emit("svd", "svd-rank-cond-10k-4x7", round(ms, 2), "ms",
         "PyTorch torch.linalg.svdvals + rank + cond, float64, 1 CPU thread")
    ms = time_median_ms(lambda: torch.linalg.svd(batch, full_matrices=False))
    emit("svd", "svd-vectors-10k-4x7", round(ms, 2), "ms",
         "PyTorch torch.linalg.svd (U, S, V), float64, 1 CPU thread")


def fixture_network(torch):
    layers = read_gemm_layers(FIXTURE)
    params = []
    for (w_dims, w), (_, b) in layers:
        params.append((torch.tensor(w, dtype=torch.float64).reshape(w_dims), torch.tensor(b, dtype=torch.float64)))

    def forward(x):
        h = x
        for index, (weight, bias) in enumerate(params):
            h = h @ weight.T + bias
            if index < len(params) - 1:
                h = torch.tanh(h)
        return h

    return forward


def batched_jacobian(torch, forward):
    """Batched exact Jacobians: torch.func.vmap(jacrev) where it exists (PyTorch ≥ 2), else one
    reverse pass per output over the whole batch (rows are independent, so the gradient of the
    column sum of output i is row-wise ∂y_i/∂x) — the fastest batched autograd PyTorch 1.x offers."""
    if hasattr(torch, "func"):
        return torch.func.vmap(torch.func.jacrev(forward)), "torch.func.vmap(jacrev), float64"

    def per_output_reverse(x):
        x = x.detach().requires_grad_(True)
        y = forward(x)
        rows = []
        for i in range(y.shape[1]):
            (grad,) = torch.autograd.grad(y[:, i].sum(), x, retain_graph=i < y.shape[1] - 1)
            rows.append(grad)
        return torch.stack(rows, dim=1)

    return per_output_reverse, "torch.autograd.grad, one batched reverse pass per output, float64"


def run_jacobian(torch, threads=1):
    forward = fixture_network(torch)
    x = torch.randn(POINTS, 7, dtype=torch.float64)
    jacobian, how = batched_jacobian(torch, forward)
    ms = time_median_ms(lambda: jacobian(x))
    emit("jacobian", "jacobian-tanh-7x64x64x4-10k" + thread_suffix(threads), round(ms, 2), "ms",
         f"PyTorch {how}, {thread_words(threads)}", points=POINTS, threads=torch.get_num_threads())


def run_solve(torch, threads=1):
    forward = fixture_network(torch)
    jacobian, _ = batched_jacobian(torch, forward)
    truth = torch.rand(POINTS, 7, dtype=torch.float64) * 2 - 1
    targets = forward(truth)

    def gauss_newton(y):
        x = torch.zeros(y.shape[0], 7, dtype=torch.float64)
        for _ in range(GAUSS_NEWTON_ITERATIONS):
            with torch.no_grad():
                residual = forward(x) - y
            step = torch.linalg.pinv(jacobian(x)) @ residual.unsqueeze(-1)
            x = x - step.squeeze(-1)
        return x

    gauss_newton(targets[:SOLVE_WARMUP_TARGETS])  # warm-up, like the TypeScript suite's
    result = {}

    def timed():
        result["x"] = gauss_newton(targets)

    # Median of SOLVE_REPEAT full solves after one untimed full solve (1 and none with --quick), as
    # in the TypeScript suite.
    seconds = time_median_ms(timed, repeat=1 if QUICK else SOLVE_REPEAT, warmup=0 if QUICK else 1) / 1000
    x = result["x"]
    residual = (forward(x) - targets).norm(dim=1)
    emit("solve", "gauss-newton-20-pinv-tanh-7x64x64x4-10k" + thread_suffix(threads), round(seconds, 3), "s",
         f"PyTorch batched 20-iteration Gauss–Newton with torch.linalg.pinv, float64, {thread_words(threads)}", threads=torch.get_num_threads(),
         method="gauss-newton", iterations=GAUSS_NEWTON_ITERATIONS, targets=POINTS, repeats=1 if QUICK else SOLVE_REPEAT,
         solvedFraction=float((residual <= 1e-9).double().mean()), medianResidual=float(residual.median()),
         note="batched Gauss–Newton with torch.linalg.pinv, start x = 0, float64")


def run_train(torch, threads=1):
    model = torch.nn.Sequential(torch.nn.Linear(7, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 4))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_function = torch.nn.MSELoss()
    x = torch.randn(TRAIN_ROWS, 7)
    y = torch.randn(TRAIN_ROWS, 4)

    def epoch():
        for start in range(0, TRAIN_ROWS - TRAIN_BATCH + 1, TRAIN_BATCH):
            optimizer.zero_grad()
            loss = loss_function(model(x[start:start + TRAIN_BATCH]), y[start:start + TRAIN_BATCH])
            loss.backward()
            optimizer.step()

    ms = time_median_ms(epoch, repeat=5 if QUICK else 15, warmup=1 if QUICK else 3)
    emit("train", "train-7x64x64x4-batch64-float32" + thread_suffix(threads), round(TRAIN_ROWS / ms * 1000), "samples/s",
         f"PyTorch, 7→64→64→4 ReLU MLP, batch 64, Adam, float32, {thread_words(threads)}", threads=torch.get_num_threads())


if __name__ == "__main__":
    sys.exit(main())
