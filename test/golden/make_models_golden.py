"""Golden outputs of torchvision models for owlet's model-zoo tests.

Run with Debian's PyTorch: /usr/bin/python3 test/golden/make_models_golden.py OUT_DIR [arch ...]
For each architecture it builds torchvision's model with a fixed seed, writes its weights as
safetensors under timm's parameter names (torchvision's ConvNeXt keys mapped to timm's, as timm's
checkpoint filter maps the original ConvNeXt keys), and the outputs on a fixed input in eval mode,
plus, in train mode, the loss and the gradients of a few parameters. The files are large (resnet50
weights: 100 MB), so the tests make them on demand into a cache instead of keeping them in git.
"""
import json
import re
import struct
import sys

import torch
import torchvision

import tv_to_timm

DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}


def save_safetensors(path, tensors, metadata=None):
    header = {}
    offset = 0
    blobs = []
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        data = t.numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def convnext_to_timm(sd):
    """torchvision ConvNeXt keys -> timm's."""
    out = {}
    for k, v in sd.items():
        m = re.match(r"features\.0\.(\d)\.(.*)", k)
        if m:
            out[f"stem.{m.group(1)}.{m.group(2)}"] = v
            continue
        m = re.match(r"features\.(\d)\.(\d+)\.(.*)", k)
        if m:
            f, j, rest = int(m.group(1)), m.group(2), m.group(3)
            if f % 2 == 1:  # a stage's blocks: features.1, 3, 5, 7
                stage = (f - 1) // 2
                if rest == "layer_scale":
                    out[f"stages.{stage}.blocks.{j}.gamma"] = v.reshape(-1)
                    continue
                bm = re.match(r"block\.(\d)\.(.*)", rest)
                part = {"0": "conv_dw", "2": "norm", "3": "mlp.fc1", "5": "mlp.fc2"}[bm.group(1)]
                out[f"stages.{stage}.blocks.{j}.{part}.{bm.group(2)}"] = v
            else:  # a downsample: features.2, 4, 6
                stage = f // 2
                out[f"stages.{stage}.downsample.{j}.{rest}"] = v
            continue
        m = re.match(r"classifier\.(\d)\.(.*)", k)
        if m:
            part = {"0": "head.norm", "2": "head.fc"}[m.group(1)]
            out[f"{part}.{m.group(2)}"] = v
            continue
        raise KeyError(k)
    return out


GRAD_PARAMS = {
    "resnet": ["conv1.weight", "bn1.weight", "layer1.0.conv1.weight", "layer4.1.bn2.bias", "fc.weight", "fc.bias"],
    "convnext": ["stem.0.weight", "stages.0.blocks.0.gamma", "stages.1.downsample.1.weight", "stages.3.blocks.2.mlp.fc2.weight", "head.norm.weight", "head.fc.bias"],
}


def eval_only(out_dir, arch):
    """The newer families (tv_to_timm.py): weights under timm's names and eval outputs only (their
    torchvision classifiers have dropout and stochastic depth that timm's defaults do not)."""
    torch.manual_seed(0)
    model, to_timm = tv_to_timm.build(arch)
    tv_to_timm.timm_bn_eps(model)
    for name, buf in model.named_buffers():
        if name.endswith("running_mean"):
            buf.copy_(torch.randn_like(buf) * 0.1)
        elif name.endswith("running_var"):
            buf.copy_(torch.rand_like(buf) + 0.5)
    sd = to_timm(model)
    assert sum(v.numel() for k, v in sd.items() if "running" not in k and "num_batches" not in k) == sum(p.numel() for p in model.parameters())
    save_safetensors(f"{out_dir}/{arch}.safetensors", sd, {"format": "pt"})
    size = getattr(model, "image_size", 64)
    x = torch.randn(2, 3, size, size, generator=torch.Generator().manual_seed(1))
    model.eval()
    with torch.no_grad():
        y = model(x)
    result = {
        "arch": arch, "params": sum(p.numel() for p in model.parameters()),
        "input": x.reshape(-1).tolist(), "input_shape": list(x.shape),
        "eval_output": y.reshape(-1).tolist(), "output_shape": list(y.shape),
        "train_loss": None, "target": [], "grads": {},
    }
    with open(f"{out_dir}/{arch}.json", "w") as f:
        json.dump(result, f)
    print(f"{arch}: {result['params']} parameters (eval only)")


def main():
    out_dir = sys.argv[1]
    archs = sys.argv[2:] or ["resnet18", "resnet34", "resnet50", "convnext_tiny"]
    torch.set_num_threads(2)
    for arch in archs:
        if not (arch.startswith("resnet") or arch.startswith("convnext")):
            eval_only(out_dir, arch)
            continue
        torch.manual_seed(0)
        model = getattr(torchvision.models, arch)()
        family = "convnext" if arch.startswith("convnext") else "resnet"
        # Non-trivial BatchNorm statistics, so that eval mode tests them.
        for name, buf in model.named_buffers():
            if name.endswith("running_mean"):
                buf.copy_(torch.randn_like(buf) * 0.1)
            elif name.endswith("running_var"):
                buf.copy_(torch.rand_like(buf) + 0.5)
        sd = model.state_dict()
        if family == "convnext":
            sd = convnext_to_timm(sd)
        save_safetensors(f"{out_dir}/{arch}.safetensors", sd, {"format": "pt"})
        x = torch.randn(2, 3, 64, 64, generator=torch.Generator().manual_seed(1))
        model.eval()
        with torch.no_grad():
            y = model(x)
        model.train()
        model.zero_grad()
        target = torch.tensor([3, 7])
        loss = torch.nn.functional.cross_entropy(model(x), target)
        loss.backward()
        named = dict(model.named_parameters())
        if family == "convnext":
            mapped = convnext_to_timm({n: p.grad for n, p in named.items()})
            grads = {k: mapped[k].reshape(-1)[:64].tolist() for k in GRAD_PARAMS[family]}
        else:
            grads = {k: named[k].grad.reshape(-1)[:64].tolist() for k in GRAD_PARAMS[family]}
        result = {
            "arch": arch,
            "params": sum(p.numel() for p in model.parameters()),
            "input": x.reshape(-1).tolist(),
            "input_shape": list(x.shape),
            "eval_output": y.reshape(-1).tolist(),
            "output_shape": list(y.shape),
            "train_loss": loss.item(),
            "target": target.tolist(),
            "grads": grads,
        }
        with open(f"{out_dir}/{arch}.json", "w") as f:
            json.dump(result, f)
        print(f"{arch}: {result['params']} parameters, loss {loss.item():.6f}")


if __name__ == "__main__":
    main()
