"""PyTorch side of bench/data.ts: images/s of torchvision's usual training pipeline with PIL.

usage: python3 data.py <file list> <size> <bs> <workers> <passes>  ->  one line of JSON on stdout:
  {"version", "torchvision", "workers", "images": per pass, "seconds": [one per pass], "ips": [one per pass],
   "cpu_ms": [CPU milliseconds per image, this process and its workers, one per pass]}

The pipeline is torchvision's rough counterpart of owlet's (fastai's) Resize(size) + aug_transforms() +
Normalize: PIL decode and convert('RGB'), Resize(size) on the short side, RandomCrop(size) (fastai's
random crop position), RandomHorizontalFlip, RandomAffine(10°, scale 1-1.1) (rotate and zoom; fastai
adds a perspective warp in the same resampling), ColorJitter(brightness 0.2, contrast 0.2), ToTensor,
Normalize (ImageNet), batched by a DataLoader with `workers` worker processes, shuffled, drop_last.
"""
import json
import resource
import sys
import time

try:
    import torch
    import torchvision
    from torchvision import transforms as T
    from PIL import Image
except ImportError as e:
    sys.exit(f"bench/python/data.py: {e} for {sys.executable}")

list_file, size, bs, workers, passes = sys.argv[1], *(int(x) for x in sys.argv[2:6])
files = [l for l in open(list_file).read().splitlines() if l]

tfm = T.Compose([
    T.Resize(size),
    T.RandomCrop(size),
    T.RandomHorizontalFlip(),
    T.RandomApply([T.RandomAffine(degrees=10, scale=(1.0, 1.1))], p=0.75),
    T.ColorJitter(brightness=0.2, contrast=0.2),
    T.ToTensor(),
    T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])


class Files(torch.utils.data.Dataset):
    def __len__(self):
        return len(files)

    def __getitem__(self, i):
        return tfm(Image.open(files[i]).convert("RGB")), 0


torch.manual_seed(0)
# Workers are started for each pass and end with it, so that their CPU time is counted
# (RUSAGE_CHILDREN covers children that have ended).
dl = torch.utils.data.DataLoader(Files(), batch_size=bs, shuffle=True, drop_last=True, num_workers=workers)


def cpu():
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


seconds, ips, cpu_ms = [], [], []
n = 0
for _ in range(passes):
    c0 = cpu()
    t0 = time.perf_counter()
    n = 0
    it = iter(dl)
    for x, y in it:
        n += x.shape[0]
    del it  # ends the workers
    dt = time.perf_counter() - t0
    seconds.append(dt)
    ips.append(n / dt)
    cpu_ms.append((cpu() - c0) * 1000 / n)
print(json.dumps({"version": torch.__version__, "torchvision": torchvision.__version__, "workers": workers,
                  "images": n, "seconds": seconds, "ips": ips, "cpu_ms": cpu_ms}))
