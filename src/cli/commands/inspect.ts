/**
 * `owlet inspect <arch | weights file> [--submodule 0.model.stem.1] [--params]`: prints a model's
 * module tree, one module, or its parameters, as PyTorch prints them.
 */
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { createModel, isModel, loadCheckpoint } from '../../models/index.js';
import { readSafetensorsHeader } from '../../io/index.js';
import type { AnyModule } from '../../nn/index.js';
import type { Tensor } from '../../engine/index.js';

function sizeOf(t: Tensor): string {
  return `torch.Size([${t.shape.join(', ')}])`;
}

/** PyTorch's `print(param)`. */
export function formatParameter(t: Tensor): string {
  return `Parameter containing:\n${t.toString()}`;
}

async function load(target: string): Promise<AnyModule> {
  if (isModel(target)) return createModel(target);
  if (!existsSync(target)) throw new Error(`'${target}' is neither a model name (\`owlet models\` lists them) nor a file`);
  const header = readSafetensorsHeader(target);
  const arch = header.metadata?.arch;
  if (!arch) throw new Error(`${target} does not name its architecture (no "arch" in its safetensors metadata): give the architecture's name instead`);
  const model = await createModel(arch, { numClasses: Number(header.metadata?.num_classes ?? 1000) });
  loadCheckpoint(model, target);
  return model;
}

export function inspectCommand(): Command {
  return new Command('inspect')
    .description('print a model as PyTorch prints it: its tree, one submodule, or its parameters')
    .argument('<model>', 'a zoo name (resnet34, convnext_tiny) or a weights file (.safetensors)')
    .option('--submodule <path>', 'a dotted path to one module or parameter, such as stages.0.blocks.1')
    .option('--params', 'list the parameters (names and shapes)')
    .action(async (target: string, opts: { submodule?: string; params?: boolean }) => {
      const model = await load(target);
      let module: AnyModule = model;
      if (opts.submodule) {
        try {
          module = model.getSubmodule(opts.submodule);
        } catch (e) {
          // A dotted path may end at a parameter or buffer.
          let tensor: Tensor | undefined;
          try {
            tensor = model.getParameter(opts.submodule);
          } catch {
            throw e;
          }
          console.log(formatParameter(tensor));
          return;
        }
      }
      if (opts.params) {
        let total = 0;
        for (const [name, p] of module.namedParameters()) {
          console.log(`${name} ${sizeOf(p)}`);
          total += p.numel();
        }
        console.log(`total: ${total.toLocaleString('en-US')} parameters`);
        return;
      }
      console.log(module.toString());
    });
}
