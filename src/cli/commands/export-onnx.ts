/** `owlet export-onnx <model> <out.onnx>` and `owlet export-web <model> <folder>`. */
import { Command, InvalidArgumentError } from 'commander';
import { exportOnnxFile, exportWebFolder } from '../jobs/export-onnx.js';

function parseSize(v: string): [number, number] {
  const parts = v.split(/[x,]/).map(Number);
  const [h, w] = parts.length === 1 ? [parts[0]!, parts[0]!] : parts;
  if (parts.length > 2 || !Number.isInteger(h) || !Number.isInteger(w) || h! <= 0 || w! <= 0)
    throw new InvalidArgumentError('a size is a positive whole number or HEIGHTxWIDTH (224, 224x160)');
  return [h!, w!];
}

export function exportOnnxCommand(): Command {
  return new Command('export-onnx')
    .description('write an exported model as ONNX (opset 17) with its labels, mean/std and input size as metadata')
    .argument('<model>', 'the exported model (a .safetensors file written by owlet train --export or learn.export)')
    .argument('<out>', 'the .onnx file to write')
    .option('--size <HxW>', 'the input size, when the pipeline resizes to no fixed size', parseSize)
    .action(async (model: string, out: string, opts: { size?: [number, number] }) => {
      const file = await exportOnnxFile(model, out, opts);
      console.log(`wrote ${file}`);
    });
}

export function exportWebCommand(): Command {
  return new Command('export-web')
    .description('write a static folder (index.html, the ONNX model, onnxruntime-web) that classifies images in the browser, with no server')
    .argument('<model>', 'the exported model (a .safetensors file written by owlet train --export or learn.export)')
    .argument('<folder>', 'the folder to write (made if missing)')
    .option('--size <HxW>', 'the input size, when the pipeline resizes to no fixed size', parseSize)
    .action(async (model: string, folder: string, opts: { size?: [number, number] }) => {
      const r = await exportWebFolder(model, folder, opts);
      console.log(`wrote ${r.folder} (${r.files.length} files, ${(r.bytes / 2 ** 20).toFixed(1)} MiB)`);
      console.log('serve it with any static server, e.g. `npx http-server <folder>` or `python3 -m http.server -d <folder>`, and open it in a browser');
    });
}
