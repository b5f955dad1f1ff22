/** `owlet predict <model file> <image…> [--json]`: an exported model's predictions for images. */
import { Command } from 'commander';
import { predictFiles } from '../jobs/predict.js';

export function predictCommand(): Command {
  return new Command('predict')
    .description('predict the labels of images with a model exported by `owlet train` (or learn.export)')
    .argument('<model>', 'the exported model (a .safetensors file written by owlet train --export)')
    .argument('<images...>', 'image files')
    .option('--json', 'print JSON: one object per image with the label, its probability and every class\'s')
    .action(async (model: string, images: string[], opts: { json?: boolean }) => {
      const preds = await predictFiles(model, images);
      if (opts.json) {
        console.log(JSON.stringify(preds, null, 2));
        return;
      }
      const w = Math.max(...preds.map((p) => p.file.length));
      for (const p of preds) console.log(`${p.file.padEnd(w)}  ${p.label}  ${p.probability.toFixed(4)}`);
    });
}
