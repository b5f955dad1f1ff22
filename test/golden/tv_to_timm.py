"""torchvision 0.14 models under timm's parameter names, for owlet's model-zoo goldens.

Used by make_models_golden.py. Each `*_to_timm(model)` walks torchvision's modules (not its key
strings) and returns a state dict keyed as timm's same architecture keys it:

- MobileNetV3: `features.0` -> `conv_stem`/`bn1`; the flat `features.1..n-2` blocks -> `blocks.<stage>.<i>`
  (timm's stages: large [1, 2, 3, 4, 2, 3], small [1, 2, 3, 2, 3]); `features.-1` -> the last
  `ConvBnAct` (`blocks.<last>.0.conv`/`bn1`); `classifier.0` (a Linear) -> `conv_head` (a 1x1 conv, the
  weight reshaped), `classifier.3` -> `classifier`.
- EfficientNet: `features.0` -> stem; `features.1..7` (one Sequential a stage) -> `blocks.<s>.<i>`;
  `features.8` -> `conv_head`/`bn2`; `classifier.1` -> `classifier`.
- In a block, torchvision's Conv2dNormActivation list maps to timm's convs by count: three (expansion,
  depthwise, projection) -> `conv_pw`/`bn1`, `conv_dw`/`bn2`, `conv_pwl`/`bn3`; two (no expansion)
  -> `conv_dw`/`bn1`, `conv_pw`/`bn2`. SqueezeExcitation's `fc1`/`fc2` -> `se.conv_reduce`/`se.conv_expand`.
"""
import torch
import torchvision
from torchvision.ops.misc import Conv2dNormActivation, SqueezeExcitation

MOBILENETV3_STAGES = {"mobilenet_v3_large": [1, 2, 3, 4, 2, 3], "mobilenet_v3_small": [1, 2, 3, 2, 3]}


def put(out, prefix, module, reshape=None):
    for k, v in module.state_dict().items():
        out[f"{prefix}.{k}"] = v.reshape(reshape) if (reshape is not None and k == "weight") else v


def conv_bn(out, prefix_conv, prefix_bn, cna):
    put(out, prefix_conv, cna[0])
    put(out, prefix_bn, cna[1])


def block_to_timm(out, prefix, block):
    layers = list(block.block)
    convs = [m for m in layers if isinstance(m, Conv2dNormActivation)]
    ses = [m for m in layers if isinstance(m, SqueezeExcitation)]
    names = [("conv_pw", "bn1"), ("conv_dw", "bn2"), ("conv_pwl", "bn3")] if len(convs) == 3 else [("conv_dw", "bn1"), ("conv_pw", "bn2")]
    assert len(convs) == len(names), prefix
    for (c, b), cna in zip(names, convs):
        conv_bn(out, f"{prefix}.{c}", f"{prefix}.{b}", cna)
    for se in ses:
        put(out, f"{prefix}.se.conv_reduce", se.fc1)
        put(out, f"{prefix}.se.conv_expand", se.fc2)


def mobilenetv3_to_timm(arch, model):
    out = {}
    f = list(model.features)
    conv_bn(out, "conv_stem", "bn1", f[0])
    stages = MOBILENETV3_STAGES[arch]
    flat = f[1:-1]
    assert len(flat) == sum(stages)
    i = 0
    for s, n in enumerate(stages):
        for j in range(n):
            block_to_timm(out, f"blocks.{s}.{j}", flat[i])
            i += 1
    conv_bn(out, f"blocks.{len(stages)}.0.conv", f"blocks.{len(stages)}.0.bn1", f[-1])
    lin = model.classifier[0]
    put(out, "conv_head", lin, reshape=(lin.out_features, lin.in_features, 1, 1))
    put(out, "classifier", model.classifier[3])
    return out


def efficientnet_to_timm(model):
    out = {}
    f = list(model.features)
    conv_bn(out, "conv_stem", "bn1", f[0])
    for s, stage in enumerate(f[1:-1]):
        for j, block in enumerate(stage):
            block_to_timm(out, f"blocks.{s}.{j}", block)
    conv_bn(out, "conv_head", "bn2", f[-1])
    put(out, "classifier", model.classifier[1])
    return out


def regnet_to_timm(model):
    """torchvision RegNet -> timm: `stem.0/1` -> `stem.conv/bn`; `trunk_output.block<s>.block<s>-<j>` ->
    `s<s>.b<j+1>`; in a block `f.a/b/c` -> `conv1/conv2/conv3` (each `.0` conv, `.1` bn), `f.se.fc1/fc2` ->
    `se.fc1/fc2`, `proj` -> `downsample`; `fc` -> `head.fc`."""
    out = {}
    conv_bn(out, "stem.conv", "stem.bn", model.stem)
    for s, stage in enumerate(model.trunk_output.children(), start=1):
        for j, block in enumerate(stage.children(), start=1):
            p = f"s{s}.b{j}"
            for src, dst in (("a", "conv1"), ("b", "conv2"), ("c", "conv3")):
                conv_bn(out, f"{p}.{dst}.conv", f"{p}.{dst}.bn", getattr(block.f, src))
            if hasattr(block.f, "se"):
                put(out, f"{p}.se.fc1", block.f.se.fc1)
                put(out, f"{p}.se.fc2", block.f.se.fc2)
            if block.proj is not None:
                conv_bn(out, f"{p}.downsample.conv", f"{p}.downsample.bn", block.proj)
    put(out, "head.fc", model.fc)
    return out


def vit_to_timm(model):
    """torchvision VisionTransformer -> timm: `conv_proj` -> `patch_embed.proj`, `class_token` -> `cls_token`,
    `encoder.pos_embedding` -> `pos_embed`; in `encoder.layers.encoder_layer_<i>`: `ln_1/ln_2` -> `norm1/norm2`,
    MultiheadAttention's `in_proj_weight/bias` ([q; k; v], as timm's `qkv`) -> `attn.qkv`, `out_proj` -> `attn.proj`,
    `mlp.0/mlp.3` -> `mlp.fc1/fc2`; `encoder.ln` -> `norm`, `heads.head` -> `head`."""
    out = {"cls_token": model.class_token.detach(), "pos_embed": model.encoder.pos_embedding.detach()}
    put(out, "patch_embed.proj", model.conv_proj)
    for i, layer in enumerate(model.encoder.layers):
        p = f"blocks.{i}"
        put(out, f"{p}.norm1", layer.ln_1)
        out[f"{p}.attn.qkv.weight"] = layer.self_attention.in_proj_weight.detach()
        out[f"{p}.attn.qkv.bias"] = layer.self_attention.in_proj_bias.detach()
        put(out, f"{p}.attn.proj", layer.self_attention.out_proj)
        put(out, f"{p}.norm2", layer.ln_2)
        put(out, f"{p}.mlp.fc1", layer.mlp[0])
        put(out, f"{p}.mlp.fc2", layer.mlp[3])
    put(out, "norm", model.encoder.ln)
    put(out, "head", model.heads.head)
    return out


# torchvision 0.14 has ViT-B/16 (vit_b_16); ViT-Ti and ViT-S are its VisionTransformer class at timm's sizes.
VIT_SIZES = {"vit_ti_16": (192, 3), "vit_s_16": (384, 6), "vit_b_16": (768, 12)}


def build(arch):
    """torchvision's model for `arch`, and the function mapping it to timm's names."""
    if arch.startswith("mobilenet_v3"):
        return getattr(torchvision.models, arch)(), lambda m: mobilenetv3_to_timm(arch, m)
    if arch.startswith("efficientnet_b"):
        return getattr(torchvision.models, arch)(), efficientnet_to_timm
    if arch in VIT_SIZES:
        dim, heads = VIT_SIZES[arch]
        from torchvision.models.vision_transformer import VisionTransformer
        model = VisionTransformer(image_size=224, patch_size=16, num_layers=12, num_heads=heads, hidden_dim=dim, mlp_dim=4 * dim)
        with torch.no_grad():
            # torchvision starts the class token and the head at zero: random values test their mapping.
            model.class_token.normal_(0, 0.02)
            model.heads.head.weight.normal_(0, 0.02)
            model.heads.head.bias.normal_(0, 0.02)
        return model, vit_to_timm
    if arch.startswith("regnet_"):
        return getattr(torchvision.models, arch)(), regnet_to_timm
    if arch.startswith("resnet"):  # torchvision's ResNet keys are timm's
        return getattr(torchvision.models, arch)(), lambda m: dict(m.state_dict())
    if arch.startswith("convnext_"):
        from make_models_golden import convnext_to_timm  # it imports this module: imported here, not above
        return getattr(torchvision.models, arch)(), lambda m: convnext_to_timm(m.state_dict())
    raise KeyError(arch)


def timm_bn_eps(model, eps=1e-5):
    """timm's mobilenetv3_*/efficientnet_* use PyTorch's BatchNorm eps (1e-5); torchvision's 1e-3 for some."""
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.eps = eps
