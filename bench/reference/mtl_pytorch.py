"""Plain PyTorch loop for the trainer bench (`npm run bench -- mtl`): the same two-task MLP workload, data and
schedule, written the way a PyTorch user would, so the two can be run side by side.

    /usr/bin/python3 bench/reference/mtl_pytorch.py --batch 32 --threads 1
    {"bench": "mtl", "impl": "pytorch", "batch": 32, "examples_per_s": ..., "seconds": ..., "cpu_seconds": ...}

Workload: 20,000 rows per task of 300-d N(0,1) inputs; task a binary y = 1[x.w > 0] with 5% of labels flipped,
task b 3-class argmax(xW) with 5% replaced by a uniform class; a shared encoder Linear(300,128)-ReLU-
Linear(128,64)-ReLU, heads Linear(64,2) and Linear(64,3); Adam lr 0.01, gradient clipping at norm 1.0;
every batch of both tasks once per epoch in a shuffled order (rows shuffled per epoch); 3 epochs. The data
comes from torch.manual_seed(seed) in the same call order as bench/mtl.ts, so both train on the same numbers.
The running loss stays on the device and is read once per epoch.
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F

ROWS, DIM, EPOCHS, LR, CLIP = 20_000, 300, 3, 0.01, 1.0


def make_data(seed):
    """Both tasks' inputs and labels, drawn in the same order as bench/mtl.ts does through the engine."""
    torch.manual_seed(seed)
    xa = torch.randn(ROWS, DIM)
    w = torch.randn(DIM)
    ya = (xa @ w > 0).long()
    flip = torch.rand(ROWS) < 0.05
    ya = torch.where(flip, 1 - ya, ya)
    xb = torch.randn(ROWS, DIM)
    wb = torch.randn(DIM, 3)
    yb = (xb @ wb).argmax(1)
    replace = torch.rand(ROWS) < 0.05
    yb = torch.where(replace, torch.randint(0, 3, (ROWS,)), yb)
    return [(xa, ya), (xb, yb)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    data = make_data(args.seed)
    torch.manual_seed(args.seed)
    encoder = torch.nn.Sequential(
        torch.nn.Linear(DIM, 128), torch.nn.ReLU(), torch.nn.Linear(128, 64), torch.nn.ReLU()
    )
    heads = [torch.nn.Linear(64, 2), torch.nn.Linear(64, 3)]
    params = list(encoder.parameters()) + [p for h in heads for p in h.parameters()]
    opt = torch.optim.Adam(params, lr=LR)
    gen = torch.Generator().manual_seed(args.seed)
    B = args.batch
    n_batches = (ROWS + B - 1) // B
    losses = []
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(EPOCHS):
        perms = [torch.randperm(ROWS, generator=gen) for _ in data]
        plan = torch.tensor([t for t in range(len(data)) for _ in range(n_batches)])
        plan = plan[torch.randperm(len(plan), generator=gen)].tolist()
        nxt = [0] * len(data)
        running = torch.zeros(())
        for t in plan:
            b = nxt[t]
            nxt[t] += 1
            idx = perms[t][b * B : (b + 1) * B]
            x, y = data[t][0][idx], data[t][1][idx]
            loss = F.cross_entropy(heads[t](encoder(x)), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, CLIP)
            opt.step()
            running += loss.detach()
        losses.append(running.item() / len(plan))
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        json.dumps(
            {
                "bench": "mtl",
                "impl": "pytorch",
                "batch": B,
                "examples_per_s": round(EPOCHS * ROWS * len(data) / seconds, 1),
                "seconds": round(seconds, 3),
                "cpu_seconds": round(cpu, 3),
                "epoch_losses": [round(l, 4) for l in losses],
            }
        )
    )


if __name__ == "__main__":
    main()
