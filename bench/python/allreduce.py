# PyTorch's side of bench/allreduce.ts: one rank (torchrun's variables in the environment) all-reducing
# resnet18's gradients in DDP's buckets (torch.distributed._compute_bucket_assignment_by_size, reverse
# parameter order, 1 MiB then --bucket-mb), as DDP's reducer does after backward: copy the gradients
# into each bucket, all-reduce all buckets asynchronously, wait, divide by the world size, copy back.
# Prints the seconds of each step (rank 0) as JSON.
import json, sys, time
import torch, torch.distributed as dist, torchvision

steps, bucket_mb = int(sys.argv[1]), float(sys.argv[2])
torch.set_num_threads(1)
dist.init_process_group('gloo')
world = dist.get_world_size()
model = torchvision.models.resnet18(num_classes=1000)
params = [p for p in model.parameters() if p.requires_grad]
for p in params:
    p.grad = torch.randn_like(p)
rev = list(reversed(params))
buckets, _ = dist._compute_bucket_assignment_by_size(rev, [1024 * 1024, int(bucket_mb * 1024 * 1024)])
flats = [torch.zeros(sum(rev[i].numel() for i in b)) for b in buckets]

def step():
    works = []
    for b, flat in zip(buckets, flats):
        torch.cat([rev[i].grad.reshape(-1) for i in b], out=flat)
        works.append(dist.all_reduce(flat, async_op=True))
    for b, flat, w in zip(buckets, flats, works):
        w.wait()
        flat.div_(world)
        off = 0
        for i in b:
            g = rev[i].grad
            g.copy_(flat[off:off + g.numel()].view_as(g))
            off += g.numel()

step()
times = []
for _ in range(steps):
    dist.barrier()
    t0 = time.perf_counter()
    step()
    times.append(time.perf_counter() - t0)
if dist.get_rank() == 0:
    print(json.dumps({'times': times, 'buckets': [f.numel() * 4 for f in flats]}), flush=True)
dist.destroy_process_group()
