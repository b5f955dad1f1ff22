/**
 * The model families: each registers its models on import, so importing this file fills the
 * registry. A new family is one file (importing only ./layers and ./registry) plus one line here.
 */
import './resnet.js';
import './cifar-resnet.js';
import './convnext.js';
import './small-cnn.js';
import './mobilenetv3.js';
import './efficientnet.js';
import './regnet.js';
import './vit.js';
