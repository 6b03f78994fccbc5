"""Peer for the certification bench: output ranges of a ReLU MLP over a box by the plain big-M MILP
with interval-arithmetic neuron bounds (no tightening), solved by scipy.optimize.milp (HiGHS).
Reads JSON on stdin: {"layers": [{"weight": [[...]], "bias": [...]}, ...], "lower": [...],
"upper": [...], "time_limit": s, "mip_rel_gap": g}; prints JSON {"ranges": [[min, max], ...],
"status": [...], "seconds": total}. Hidden layers are ReLU, the last layer is linear."""
import json
import sys
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix


def encode(layers, lower, upper):
    n = len(lower)
    # variables: x (n), then per hidden layer: y (w), delta (w)
    col_lo, col_hi, integrality = list(lower), list(upper), [0] * n
    rows, row_lo, row_hi = [], [], []
    prev_idx = list(range(n))
    lo, hi = np.array(lower, float), np.array(upper, float)
    for W, b in [(np.array(l["weight"], float), np.array(l["bias"], float)) for l in layers[:-1]]:
        Wp, Wn = np.maximum(W, 0), np.minimum(W, 0)
        zl = Wp @ lo + Wn @ hi + b
        zu = Wp @ hi + Wn @ lo + b
        w = W.shape[0]
        y_idx = list(range(len(col_lo), len(col_lo) + w))
        col_lo += [0.0] * w
        col_hi += list(np.maximum(zu, 0))
        integrality += [0] * w
        d_idx = list(range(len(col_lo), len(col_lo) + w))
        col_lo += [0.0] * w
        col_hi += [1.0] * w
        integrality += [1] * w
        for k in range(w):
            z = {prev_idx[j]: W[k, j] for j in range(W.shape[1])}
            l, u = zl[k], zu[k]
            # y >= z  ->  z - y <= -b
            r = dict(z); r[y_idx[k]] = -1.0
            rows.append(r); row_lo.append(-np.inf); row_hi.append(-b[k])
            # y <= z - l(1 - d)  ->  z - y + l d >= l - b
            r = dict(z); r[y_idx[k]] = -1.0; r[d_idx[k]] = l
            rows.append(r); row_lo.append(l - b[k]); row_hi.append(np.inf)
            # y <= u d
            rows.append({y_idx[k]: 1.0, d_idx[k]: -max(u, 0.0)}); row_lo.append(-np.inf); row_hi.append(0.0)
        prev_idx = y_idx
        lo, hi = np.maximum(zl, 0), np.maximum(zu, 0)
    A = lil_matrix((len(rows), len(col_lo)))
    for i, r in enumerate(rows):
        for j, v in r.items():
            A[i, j] = v
    return A.tocsr(), np.array(row_lo), np.array(row_hi), np.array(col_lo), np.array(col_hi), np.array(integrality), prev_idx


def main():
    spec = json.load(sys.stdin)
    layers = spec["layers"]
    start = time.perf_counter()
    A, rl, ru, cl, cu, integ, last = encode(layers, spec["lower"], spec["upper"])
    Wo, bo = np.array(layers[-1]["weight"], float), np.array(layers[-1]["bias"], float)
    options = {"mip_rel_gap": spec.get("mip_rel_gap", 1e-9), "disp": False}
    if spec.get("time_limit"):
        options["time_limit"] = spec["time_limit"]
    ranges, status = [], []
    for i in range(Wo.shape[0]):
        pair = []
        for sign in (1.0, -1.0):
            c = np.zeros(len(cl))
            for k, j in enumerate(last):
                c[j] = sign * Wo[i, k]
            res = milp(c, constraints=LinearConstraint(A, rl, ru), bounds=Bounds(cl, cu), integrality=integ, options=options)
            status.append(int(res.status))
            pair.append(sign * res.fun + bo[i] if res.x is not None else None)
        ranges.append(pair)
    print(json.dumps({"ranges": ranges, "status": status, "seconds": time.perf_counter() - start}))


if __name__ == "__main__":
    main()
