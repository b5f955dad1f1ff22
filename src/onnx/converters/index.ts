/** Every converter, registered on import: one file a family (a new family adds its file and a line here). */
import './nn.js';
import './timm-layers.js';
import './resnet.js';
import './cifar-resnet.js';
import './small-cnn.js';
import './convnext.js';
import './fastai.js';
import './norm-act.js';
import './squeeze-excite.js';
import './efficientnet-blocks.js';
import './mobilenetv3.js';
import './efficientnet.js';
import './regnet.js';
import './attention.js';
import './patch-embed.js';
import './vit.js';
