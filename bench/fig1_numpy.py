"""The whole-process twin of bench/fig1-whole.sgdexp in plain numpy (scripts/bench-cli.mjs).

Usage: python3 bench/fig1_numpy.py OUT.json [naive]

What a researcher's script of Varre et al.'s Fig. 1 does, start to end: make the teacher data
(n = 1000, p = 5, k = 2, a test set of 1000, rows rescaled by 1/sqrt(n)), run 10^5 label-noise
steps (lr = 0.02, delta = 2) of a width-10 two-layer linear net, record 1,003 times what
`sgdexp` records for linear2 (train and test loss, log det(theta^T theta), the singular values of
W1, W2 and W1 W2, the imbalance and the distance to the teacher), and write them as JSON.
The step is the n-independent form the TS core uses (the faster of the two forms in
bench/numpy_ref.py: grad = XtX P - XtY, noise = sqrt(delta) C z with C = chol(XtX)); `naive`
uses the n x k residual form instead.
"""
import json
import sys

import numpy as np

n, p, k, l, n_test = 1000, 5, 2, 10, 1000
lr, delta, steps = 0.02, 2.0, 100_000

rng = np.random.default_rng(1)
X = rng.standard_normal((n, p)) / np.sqrt(n)
Wstar = rng.standard_normal((p, k))
Y = X @ Wstar
Xt = rng.standard_normal((n_test, p)) / np.sqrt(n_test)
Yt = Xt @ Wstar
W1 = rng.standard_normal((p, l))
W2 = rng.standard_normal((l, k))
sd = np.sqrt(delta)
naive = len(sys.argv) > 2 and sys.argv[2] == "naive"
XtX, XtY = X.T @ X, X.T @ Y
C = np.linalg.cholesky(XtX)

# recorded steps: 1,003 points (575 log-spaced and 575 evenly spaced, merged), as
# sgdexp spaces them so that early and late dynamics both show
at = np.unique(np.concatenate([np.round(np.logspace(0, np.log10(steps), 575)),
                               np.linspace(0, steps, 575).round()]).astype(int))
rec = {name: [] for name in ["step", "loss", "test_loss", "logdet", "sv_W1", "sv_W2", "sv_product", "imbalance", "distance"]}
nxt = 0
for t in range(steps + 1):
    if nxt < len(at) and at[nxt] == t:
        nxt += 1
        P = W1 @ W2
        th = np.hstack([W1.T, W2])
        rec["step"].append(t)
        rec["loss"].append(0.5 * n * np.mean(np.sum((Y - X @ P) ** 2, axis=1)))
        rec["test_loss"].append(0.5 * n_test * np.mean(np.sum((Yt - Xt @ P) ** 2, axis=1)))
        rec["logdet"].append(np.linalg.slogdet(th.T @ th)[1])
        rec["sv_W1"].append(np.linalg.svd(W1, compute_uv=False).tolist())
        rec["sv_W2"].append(np.linalg.svd(W2, compute_uv=False).tolist())
        rec["sv_product"].append(np.linalg.svd(P, compute_uv=False).tolist())
        rec["imbalance"].append(np.linalg.norm(W1.T @ W1 - W2 @ W2.T))
        rec["distance"].append(np.linalg.norm(P - Wstar))
    if t == steps:
        break
    if naive:
        E = Y + sd * rng.standard_normal((n, k)) - X @ (W1 @ W2)
        R = X.T @ E
    else:
        R = XtY - XtX @ (W1 @ W2) + sd * (C @ rng.standard_normal((p, k)))
    W1, W2 = W1 + lr * (R @ W2.T), W2 + lr * (W1.T @ R)

with open(sys.argv[1], "w") as f:
    json.dump({"runs": {"ln": {k2: v for k2, v in rec.items()}}}, f)
