"""Plain numpy reference for the stepping-core benchmark (scripts/bench.mjs).

Usage: python3 bench/numpy_ref.py '<json config>'  ->  prints JSON {"steps_per_s": [...]} (one per rep).

Configs:
  {"model": "linear2", "n", "p", "l", "k", "lr", "delta", "scale", "mode": "naive" | "nindep", "seconds", "reps"}
     naive : what a researcher writes: E = Y + sqrt(delta)*eps - X @ (W1 @ W2), eps ~ N(0,1) n x k,
             R = X.T @ E; W1, W2 = W1 + lr R W2.T, W2 + lr W1.T R   (simultaneous)
     nindep: the same step in the n-independent form the TS core uses (theory.md):
             R = XtY - XtX @ (W1 @ W2) + sqrt(delta) * C @ z, C = chol(XtX), z ~ N(0,1) p x k
  {"model": "diagonal", "n", "d", "lr", "seconds", "reps"}
     SGD batch 1 on beta = u*v with the Gain accumulator:
       i uniform; r = y_i - x_i.(u*v); g = -n * r * x_i (rescaled data, loss (n/b) 1/2 sum_B);
       u, v = u - lr g v, v - lr g u;  gain += -log|1 - (lr g)^2|
Each rep runs whole chunks of steps until `seconds` have passed and reports steps per wall-clock
second and per CPU second (time.process_time: all threads of the process).
"""
import json
import sys
import time

import numpy as np


def linear2(c):
    n, p, l, k, lr, delta = c["n"], c["p"], c["l"], c["k"], c["lr"], c["delta"]
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, p)) / np.sqrt(n)
    Y = X @ rng.standard_normal((p, k))
    W1 = c["scale"] * rng.standard_normal((p, l))
    W2 = c["scale"] * rng.standard_normal((l, k))
    sd = np.sqrt(delta)
    if c["mode"] == "naive":
        def step(W1, W2):
            E = Y + sd * rng.standard_normal((n, k)) - X @ (W1 @ W2)
            R = X.T @ E
            return W1 + lr * (R @ W2.T), W2 + lr * (W1.T @ R)
    else:
        XtX = X.T @ X
        XtY = X.T @ Y
        C = np.linalg.cholesky(XtX)
        def step(W1, W2):
            R = XtY - XtX @ (W1 @ W2) + sd * (C @ rng.standard_normal((p, k)))
            return W1 + lr * (R @ W2.T), W2 + lr * (W1.T @ R)
    state = [W1, W2]

    def chunk(m):
        a, b = state
        for _ in range(m):
            a, b = step(a, b)
        # keep the iterates bounded for long timing runs (does not change the cost)
        if not np.isfinite(a).all():
            a, b = W1.copy(), W2.copy()
        state[0], state[1] = a, b
    return chunk


def diagonal(c):
    n, d, lr = c["n"], c["d"], c["lr"]
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, d)) / np.sqrt(n)
    beta = np.zeros(d)
    beta[:3] = rng.standard_normal(3)
    y = X @ beta
    u = np.full(d, np.sqrt(2) * 0.1)
    v = np.zeros(d)
    gain = np.zeros(d)
    state = [u, v, gain]

    def chunk(m):
        u, v, gain = state
        idx = rng.integers(0, n, size=m)
        for i in idx:
            xi = X[i]
            r = y[i] - xi @ (u * v)
            x = lr * (-n * r) * xi
            u, v = u - x * v, v - x * u
            gain = gain - np.log(np.abs(1 - x * x))
        state[0], state[1], state[2] = u, v, gain
    return chunk


def main():
    c = json.loads(sys.argv[1])
    chunk = linear2(c) if c["model"] == "linear2" else diagonal(c)
    # calibrate a chunk size of ~50 ms
    m = 1
    while True:
        t0 = time.perf_counter()
        chunk(m)
        dt = time.perf_counter() - t0
        if dt > 0.05:
            break
        m *= 2
    out, cpu = [], []
    for _ in range(c["reps"]):
        steps, t0, c0 = 0, time.perf_counter(), time.process_time()
        while time.perf_counter() - t0 < c["seconds"]:
            chunk(m)
            steps += m
        out.append(steps / (time.perf_counter() - t0))
        cpu.append(steps / max(1e-9, time.process_time() - c0))
    print(json.dumps({"steps_per_s": out, "steps_per_cpu_s": cpu, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
