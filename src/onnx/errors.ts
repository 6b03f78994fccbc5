// Typed errors of the ONNX importer: a file that is not a usable ONNX model, and an operator the
// Float64 interpreter does not know. Both are InversaErrors, so the CLI shows one line and exits 1.
import { InversaError } from '../core/index.ts';

/** Corrupt, truncated or unusable ONNX bytes, or a graph shape inversa cannot work with. */
export class OnnxFormatError extends InversaError {}

/** The graph uses operators the interpreter cannot evaluate and differentiate exactly. */
export class UnsupportedOperatorError extends InversaError {
  readonly operators: string[];
  /** Each node that blocks exact differentiation, with the reason. */
  readonly blocking: { node: string; operator: string; reason: string }[];
  constructor(message: string, operators: string[], blocking: { node: string; operator: string; reason: string }[] = []) {
    super(message);
    this.operators = operators;
    this.blocking = blocking;
  }
}
