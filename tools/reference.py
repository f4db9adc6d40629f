#!/usr/bin/env python3
"""Retrain the runs of a bsweep results folder in plain PyTorch, by the algorithm docs/training.md documents,
and compare the final weights with the harness's weights.csv.

    /usr/bin/python3 tools/reference.py results/default [--tolerance 1e-6] [--timings FILE.csv]

It reads each run's configuration from runs.csv (so it needs no grid parser of its own), trains it,
and prints the largest absolute difference per run. Exit status 1 if any exceeds the tolerance.
With --timings it also writes the time of each run's optimizer steps, for tools/bench_vs_pytorch.py.
Needs Debian's python3-torch (the same LibTorch version as the harness): run it with /usr/bin/python3.
"""
import argparse
import csv
import json
import math
import re
import resource
import sys
import time
import zlib

import numpy as np
import torch
import torch.nn.functional as F


class Stream:
    """A run's random stream: U, N and P of docs/training.md, from torch.Generator or NumPy's legacy RandomState."""

    def __init__(self, generator, seed):
        self.numpy = np.random.RandomState(seed) if generator == "numpy" else None
        self.torch = None if self.numpy else torch.Generator()
        if self.torch:
            self.torch.manual_seed(seed)

    def uniform(self, *shape):
        if self.numpy:
            return torch.from_numpy(self.numpy.rand(*shape))
        return torch.rand(shape, generator=self.torch, dtype=torch.float64)

    def normal(self, *shape):
        if self.numpy:
            return torch.from_numpy(self.numpy.randn(*shape))
        return torch.randn(shape, generator=self.torch, dtype=torch.float64)

    def permutation(self, n):
        if self.numpy:
            return torch.from_numpy(self.numpy.permutation(n))
        return torch.randperm(n, generator=self.torch)


def make_data(kind, p, g):
    """Draws the train split, then the test split, from stream g; float64 on the CPU."""
    uniform, normal = g.uniform, g.normal

    splits = []
    if kind == "linear":
        d = p["features"]
        low, high = p["x_range"]
        w = torch.tensor(p["w"], dtype=torch.float64).reshape(d, 1)
        for n in (p["n_train"], p["n_test"]):
            x = low + (high - low) * uniform(n, d)
            y = p["b"] + x @ w + p["noise_std"] * normal(n, 1)
            splits.append((x, y))
    elif p["data"] == "teacher":
        d, h = p["features"], p["teacher_hidden"]
        low, high = p["x_range"]
        w1 = normal(h, d) / math.sqrt(d)
        b1 = normal(h)
        w2 = normal(1, h) / math.sqrt(h)
        for n in (p["n_train"], p["n_test"]):
            x = low + (high - low) * uniform(n, d)
            y = torch.tanh(x @ w1.t() + b1) @ w2.t() + p["noise_std"] * normal(n, 1)
            splits.append((x, y))
    else:  # spirals
        for n in (p["n_train"], p["n_test"]):
            y = torch.arange(n, dtype=torch.int64) % 2
            t = uniform(n)
            angle = t * (2.0 * math.pi * p["turns"]) + y.to(torch.float64) * math.pi
            x = torch.stack([t * torch.cos(angle), t * torch.sin(angle)], 1) + p["noise_std"] * normal(n, 2)
            splits.append((x, y))
    return splits


def uniform_fan_in(layer, g):
    """PyTorch's nn.Linear default distribution, drawn weight first, then bias, from stream g."""
    bound = 1.0 / math.sqrt(layer.in_features)
    with torch.no_grad():
        layer.weight.copy_((g.uniform(*layer.weight.shape) * 2.0 - 1.0) * bound)
        layer.bias.copy_((g.uniform(*layer.bias.shape) * 2.0 - 1.0) * bound)


def make_model(kind, p, g):
    if kind == "linear":
        layer = torch.nn.Linear(p["features"], 1).double()
        init = p["init"]
        with torch.no_grad():
            if init == "uniform":
                uniform_fan_in(layer, g)
            elif init == "normal":
                layer.weight.copy_(g.normal(1, p["features"]))
                layer.bias.copy_(g.normal(1))
            else:
                layer.weight.zero_()
                layer.bias.zero_()
        return torch.nn.Sequential(layer)
    classify = p["data"] == "spirals"
    width = 2 if classify else p["features"]
    layers = []
    for hidden in p["hidden"]:
        layer = torch.nn.Linear(width, hidden).double()
        uniform_fan_in(layer, g)
        layers += [layer, torch.nn.Tanh() if p["activation"] == "tanh" else torch.nn.ReLU()]
        width = hidden
    layer = torch.nn.Linear(width, 2 if classify else 1).double()
    uniform_fan_in(layer, g)
    layers.append(layer)
    return torch.nn.Sequential(*layers)


def open_stream(row):
    """Seeds the run's stream and draws its data (training split, then test split)."""
    g = Stream(row["generator"], int(row["seed"]))
    return g, make_data(row["task_type"], json.loads(row["task_params"]), g)


def evaluate(model, loss_fn, classify, x, y):
    """A curve point's numbers on one split, as the harness computes them (docs/training.md); None without the split."""
    if x.shape[0] == 0:
        return None
    with torch.no_grad():
        output = model(x)
        loss = loss_fn(output, y).item()
        accuracy = output.argmax(1).eq(y).double().mean().item() if classify else None
    return loss, accuracy


def train(row, stream, curve=False):
    """Trains the run of one runs.csv row, continuing `stream` (from open_stream); with `curve`, also evaluates the
    curve points the harness records (before training, every log_every steps, each epoch's end: the loss, and for
    a classifier the accuracy, over the whole training and test sets; not timed).
    Returns (final parameters by name, training seconds, steps)."""
    kind = row["task_type"]
    p = json.loads(row["task_params"])
    g, ((x_train, y_train), (x_test, y_test)) = stream
    dtype = torch.float64 if row["dtype"] == "float64" else torch.float32
    model = make_model(kind, p, g).to(dtype)
    x_train, x_test = x_train.to(dtype), x_test.to(dtype)
    if y_train.is_floating_point():
        y_train, y_test = y_train.to(dtype), y_test.to(dtype)
    classify = kind == "mlp" and p["data"] == "spirals"
    loss_fn = F.cross_entropy if classify else F.mse_loss
    n = x_train.shape[0]
    batch = int(row["batch_size_effective"])
    drop_last = row["drop_last"] == "true"
    per_epoch = n // batch if drop_last else (n + batch - 1) // batch
    # The learning rate: lr scaled with the batch size (lr_scaling "linear/B0" or "sqrt/B0"), then a linear warmup.
    lr = float(row["lr"])
    rule = row.get("lr_scaling") or "none"
    if rule != "none":
        name, base = rule.split("/")
        lr = lr * batch / int(base) if name == "linear" else lr * math.sqrt(batch / int(base))
    warmup_epochs = float(row.get("warmup_epochs") or 0)
    warmup = max(1, math.floor(warmup_epochs * per_epoch + 0.5)) if warmup_epochs > 0 else 0
    # "until": stop at the first curve point that meets the target ("train_loss<=0.02", "test_accuracy>=0.9").
    target = None
    if row.get("until"):
        metric, value = re.match(r"(\w+?)(<=|>=)(.*)", row["until"]).group(1, 3)
        target = (metric, float(value))
    # The optimizer's options beyond momentum, those not at torch.optim's defaults (runs.csv's optimizer_options).
    options = json.loads(row.get("optimizer_options") or "{}")
    if "betas" in options:
        options["betas"] = tuple(options["betas"])
    if row["optimizer"] == "adam":
        optimizer = torch.optim.Adam(model.parameters(), lr=lr, **options)
    elif row["optimizer"] == "adamw":
        optimizer = torch.optim.AdamW(model.parameters(), lr=lr, **options)
    else:
        optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=float(row["momentum"] or 0), **options)

    budget = int(row["epochs"]) * per_epoch if row["epochs"] else int(row["steps"])
    log_every = int(row["log_every"] or 0)

    def point():
        """Evaluates a curve point (when asked to, or to check the target); True when it meets the target."""
        if not (curve or target):
            return False
        train_loss, train_accuracy = evaluate(model, loss_fn, classify, x_train, y_train)
        test = evaluate(model, loss_fn, classify, x_test, y_test)
        if target is None:
            return False
        metric, value = target
        measured = {"train_loss": train_loss, "train_accuracy": train_accuracy,
                    "test_loss": test[0] if test else None, "test_accuracy": test[1] if test else None}[metric]
        return measured <= value if metric.endswith("_loss") else measured >= value

    done = 0
    seconds = 0.0
    reached = point()
    while done < budget and not reached:
        started = time.perf_counter()
        xs, ys = x_train, y_train
        if row["shuffle"] == "true":
            permutation = g.permutation(n)
            xs, ys = x_train.index_select(0, permutation), y_train.index_select(0, permutation)
        for step in range(per_epoch):
            if done == budget:
                break
            start = step * batch
            length = min(batch, n - start)
            if warmup:
                for group in optimizer.param_groups:
                    group["lr"] = lr * (done + 1) / warmup if done < warmup else lr
            optimizer.zero_grad()
            loss = loss_fn(model(xs.narrow(0, start, length)), ys.narrow(0, start, length))
            loss.backward()
            optimizer.step()
            done += 1
            if log_every and done % log_every == 0 and step + 1 != per_epoch and done != budget:
                seconds += time.perf_counter() - started
                reached = point()
                started = time.perf_counter()
                if reached:
                    break
        seconds += time.perf_counter() - started
        if not reached:
            reached = point()
    return {name: t.detach().double().flatten().tolist() for name, t in model.named_parameters()}, seconds, done


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="a bsweep results folder (runs.csv, weights.csv, manifest.json)")
    parser.add_argument("--tolerance", type=float, default=1e-6, help="largest |difference| allowed (default 1e-6)")
    parser.add_argument("--timings", help="write run_id,train_s,step_s,iterations,peak_rss_bytes to this CSV")
    parser.add_argument("--shard", default="0/1", help="K/N: retrain only the runs whose grid index is K modulo N "
                        "(shared streams: whole streams), so that N processes share a sweep (default 0/1)")
    parser.add_argument("--threads", type=int, help="intra-op threads (default: the manifest's)")
    parser.add_argument("--curves", action="store_true", help="also evaluate every curve point the harness records "
                        "(the same work as the harness; for the benchmark)")
    args = parser.parse_args()
    shard, shards = (int(part) for part in args.shard.split("/"))

    with open(f"{args.results}/manifest.json") as f:
        torch.set_num_threads(args.threads or int(json.load(f)["threads"]))
    with open(f"{args.results}/runs.csv", newline="") as f:
        runs = [row for row in csv.DictReader(f)]
    harness = {}
    with open(f"{args.results}/weights.csv", newline="") as f:
        for row in csv.DictReader(f):
            harness.setdefault(row["run_id"], {}).setdefault(row["parameter"], []).append(float(row["value"]))

    worst, checked, bad, timings = 0.0, 0, 0, []
    shared = {}  # a shared stream's key -> the stream, continued run after run in grid order (None: broken)
    for row in sorted(runs, key=lambda r: int(r["index"])):
        key = (row["task"], row["generator"], row["seed"])
        mine = zlib.crc32("/".join(key).encode()) if row["stream"] == "shared" else int(row["index"])
        if mine % shards != shard:
            continue
        if row["stream"] == "shared":
            if key not in shared:
                shared[key] = open_stream(row)
            stream = shared[key]
            if stream is None:
                print(f"{row['run_id']}: skipped (an earlier run of its shared stream was not retrained)")
                continue
        else:
            stream = open_stream(row)
        if row["status"] != "ok" or row["device_used"] != "cpu":
            print(f"{row['run_id']}: skipped (status {row['status']}, device {row['device_used'] or '-'})")
            if row["stream"] == "shared":
                shared[key] = None  # how many numbers the skipped run drew is unknown here
            continue
        ours, seconds, iterations = train(row, stream, args.curves)
        timings.append((row["run_id"], seconds, seconds / max(iterations, 1), iterations))
        theirs = harness.get(row["run_id"], {})
        if sorted(ours) != sorted(theirs):
            print(f"{row['run_id']}: parameter names differ: {sorted(ours)} vs {sorted(theirs)}")
            bad += 1
            continue
        diff = max(abs(a - b) for name in ours for a, b in zip(ours[name], theirs[name]))
        status = "ok" if diff <= args.tolerance else "MISMATCH"
        bad += status != "ok"
        worst = max(worst, diff)
        checked += 1
        print(f"{row['run_id']}: {row['task']:<8} bs={row['batch_size']:<5} {row['optimizer']:<4} {row['dtype']}"
              f" {row['generator']:<5} {row['stream']:<7}"
              f"  max |diff| = {diff:.3g}  {status}")
    print(f"runs checked: {checked}, max |diff| = {worst:.3g}, tolerance {args.tolerance:g}, mismatches: {bad}")
    if args.timings:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        with open(args.timings, "w", newline="") as f:
            out = csv.writer(f)
            out.writerow(["run_id", "train_s", "step_s", "iterations", "peak_rss_bytes"])
            for run_id, seconds, step, iterations in timings:
                out.writerow([run_id, repr(seconds), repr(step), iterations, peak])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
