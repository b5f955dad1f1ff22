/**
 * fastai's catalogue of dataset URLs (`URLs` in fastai/data/external.py) and the checks fastai keeps
 * for them (fastai/data/download_checks.py: the file's size and the md5 of its first MiB).
 */

const S3 = 'https://s3.amazonaws.com/fast-ai-';
const URL_ = `${S3}sample/`;
const S3_IMAGE = `${S3}imageclas/`;
const S3_IMAGELOC = `${S3}imagelocal/`;
const S3_NLP = `${S3}nlp/`;
const S3_COCO = `${S3}coco/`;
const S3_MODEL = `${S3}modelzoo/`;
const GOOGLE = 'https://storage.googleapis.com/';

/** fastai's `URLs`, with fastai's names. */
export const URLs = Object.freeze({
  MDL: 'http://files.fast.ai/models/',
  GOOGLE,
  S3,
  URL: URL_,
  S3_IMAGE,
  S3_IMAGELOC,
  S3_AUDI: `${S3}audio/`,
  S3_NLP,
  S3_COCO,
  S3_MODEL,

  // main datasets
  ADULT_SAMPLE: `${URL_}adult_sample.tgz`,
  BIWI_SAMPLE: `${URL_}biwi_sample.tgz`,
  CIFAR: `${URL_}cifar10.tgz`,
  COCO_SAMPLE: `${S3_COCO}coco_sample.tgz`,
  COCO_TINY: `${S3_COCO}coco_tiny.tgz`,
  HUMAN_NUMBERS: `${URL_}human_numbers.tgz`,
  IMDB: `${S3_NLP}imdb.tgz`,
  IMDB_SAMPLE: `${URL_}imdb_sample.tgz`,
  ML_SAMPLE: `${URL_}movie_lens_sample.tgz`,
  ML_100k: 'https://files.grouplens.org/datasets/movielens/ml-100k.zip',
  MNIST_SAMPLE: `${URL_}mnist_sample.tgz`,
  MNIST_TINY: `${URL_}mnist_tiny.tgz`,
  MNIST_VAR_SIZE_TINY: `${S3_IMAGE}mnist_var_size_tiny.tgz`,
  PLANET_SAMPLE: `${URL_}planet_sample.tgz`,
  PLANET_TINY: `${URL_}planet_tiny.tgz`,
  IMAGENETTE: `${S3_IMAGE}imagenette2.tgz`,
  IMAGENETTE_160: `${S3_IMAGE}imagenette2-160.tgz`,
  IMAGENETTE_320: `${S3_IMAGE}imagenette2-320.tgz`,
  IMAGEWOOF: `${S3_IMAGE}imagewoof2.tgz`,
  IMAGEWOOF_160: `${S3_IMAGE}imagewoof2-160.tgz`,
  IMAGEWOOF_320: `${S3_IMAGE}imagewoof2-320.tgz`,
  IMAGEWANG: `${S3_IMAGE}imagewang.tgz`,
  IMAGEWANG_160: `${S3_IMAGE}imagewang-160.tgz`,
  IMAGEWANG_320: `${S3_IMAGE}imagewang-320.tgz`,
  DOGS: `${URL_}dogscats.tgz`,

  // image classification datasets
  CALTECH_101: `${S3_IMAGE}caltech_101.tgz`,
  CARS: `${S3_IMAGE}stanford-cars.tgz`,
  CIFAR_100: `${S3_IMAGE}cifar100.tgz`,
  CUB_200_2011: `${S3_IMAGE}CUB_200_2011.tgz`,
  FLOWERS: `${S3_IMAGE}oxford-102-flowers.tgz`,
  FOOD: `${S3_IMAGE}food-101.tgz`,
  MNIST: `${S3_IMAGE}mnist_png.tgz`,
  PETS: `${S3_IMAGE}oxford-iiit-pet.tgz`,

  // NLP datasets
  AG_NEWS: `${S3_NLP}ag_news_csv.tgz`,
  AMAZON_REVIEWS: `${S3_NLP}amazon_review_full_csv.tgz`,
  AMAZON_REVIEWS_POLARITY: `${S3_NLP}amazon_review_polarity_csv.tgz`,
  DBPEDIA: `${S3_NLP}dbpedia_csv.tgz`,
  MT_ENG_FRA: `${S3_NLP}giga-fren.tgz`,
  SOGOU_NEWS: `${S3_NLP}sogou_news_csv.tgz`,
  WIKITEXT: `${S3_NLP}wikitext-103.tgz`,
  WIKITEXT_TINY: `${S3_NLP}wikitext-2.tgz`,
  YAHOO_ANSWERS: `${S3_NLP}yahoo_answers_csv.tgz`,
  YELP_REVIEWS: `${S3_NLP}yelp_review_full_csv.tgz`,
  YELP_REVIEWS_POLARITY: `${S3_NLP}yelp_review_polarity_csv.tgz`,

  // image localization datasets
  BIWI_HEAD_POSE: `${S3_IMAGELOC}biwi_head_pose.tgz`,
  CAMVID: `${S3_IMAGELOC}camvid.tgz`,
  CAMVID_TINY: `${URL_}camvid_tiny.tgz`,
  LSUN_BEDROOMS: `${S3_IMAGE}bedroom.tgz`,
  PASCAL_2007: `${S3_IMAGELOC}pascal_2007.tgz`,
  PASCAL_2012: `${S3_IMAGELOC}pascal_2012.tgz`,

  // audio classification datasets
  MACAQUES: `${GOOGLE}ml-animal-sounds-datasets/macaques.zip`,
  ZEBRA_FINCH: `${GOOGLE}ml-animal-sounds-datasets/zebra_finch.zip`,

  // medical imaging datasets
  SIIM_SMALL: `${S3_IMAGELOC}siim_small.tgz`,
  TCGA_SMALL: `${S3_IMAGELOC}tcga_small.tgz`,

  // pretrained models
  OPENAI_TRANSFORMER: `${S3_MODEL}transformer.tgz`,
  WT103_FWD: `${S3_MODEL}wt103-fwd.tgz`,
  WT103_BWD: `${S3_MODEL}wt103-bwd.tgz`,
});

/** fastai's download checks: URL → [size in bytes, md5 of the first MiB]. */
export const downloadChecks: Readonly<Record<string, readonly [number, string]>> = Object.freeze({
  'https://s3.amazonaws.com/fast-ai-coco/coco_sample.tgz': [3245877008, '006cd55d633d94b36ecaf661467830ec'],
  'https://s3.amazonaws.com/fast-ai-coco/coco_tiny.tgz': [801038, '367467451ac4fba79a647753c2c66d3a'],
  'https://s3.amazonaws.com/fast-ai-imageclas/CUB_200_2011.tgz': [1150585339, 'd2acaa99439dff0483c7bbac1bfe2a92'],
  'https://s3.amazonaws.com/fast-ai-imageclas/bedroom.tgz': [4579163978, '35d84f38f8a15fe47e66e460c8800d68'],
  'https://s3.amazonaws.com/fast-ai-imageclas/caltech_101.tgz': [131740031, 'd673425306e98ee4619fcdeef8a0e876'],
  'https://s3.amazonaws.com/fast-ai-imageclas/cifar100.tgz': [169168619, 'e5e65dcb54b9d3913f7b8a9ad6607e62'],
  'https://s3.amazonaws.com/fast-ai-imageclas/food-101.tgz': [5686607260, '1a540ebf1fb40b2bf3f2294234ba7907'],
  'https://s3.amazonaws.com/fast-ai-imageclas/imagenette2-160.tgz': [99003388, 'c475f8f7617a200ba35b9facc48443c3'],
  'https://s3.amazonaws.com/fast-ai-imageclas/imagenette2-320.tgz': [341663724, '1f1f74f133caff120e575856659b87a2'],
  'https://s3.amazonaws.com/fast-ai-imageclas/imagenette2.tgz': [1557161267, '2c774ecb40005b35d7937d50f5d42336'],
  'https://s3.amazonaws.com/fast-ai-imageclas/imagewang-160.tgz': [191498213, 'dab9b1d97b95574ac64122a19bc74ca1'],
  'https://s3.amazonaws.com/fast-ai-imageclas/imagewang-320.tgz': [669826647, 'fff8ac034d60e14fcf7789845e625263'],
  'https://s3.amazonaws.com/fast-ai-imageclas/imagewang.tgz': [2900347689, '2b7776bac0fc95db72ac8a3b091a3e30'],
  'https://s3.amazonaws.com/fast-ai-imageclas/imagewoof2-160.tgz': [92612825, '3559b194123981a540b87132dbda412f'],
  'https://s3.amazonaws.com/fast-ai-imageclas/imagewoof2-320.tgz': [328387740, '7a1fd92672a559a85de76e4810a20c21'],
  'https://s3.amazonaws.com/fast-ai-imageclas/imagewoof2.tgz': [1343715595, '2cc1c1e36e20cb6fd24ffb978edcb487'],
  'https://s3.amazonaws.com/fast-ai-imageclas/mnist_png.tgz': [15683414, '03639f83c4e3d19e0a3a53a8a997c487'],
  'https://s3.amazonaws.com/fast-ai-imageclas/mnist_var_size_tiny.tgz': [565372, 'b71a930f4eb744a4a143a6c7ff7ed67f'],
  'https://s3.amazonaws.com/fast-ai-imageclas/oxford-102-flowers.tgz': [345236087, '5666e01c1311b4c67fcf20d2b3850a88'],
  'https://s3.amazonaws.com/fast-ai-imageclas/oxford-iiit-pet.tgz': [811706944, 'e4db5c768afd933bb91f5f594d7417a4'],
  'https://s3.amazonaws.com/fast-ai-imageclas/stanford-cars.tgz': [1957803273, '9045d6673c9ced0889f41816f6bf2f9f'],
  'https://s3.amazonaws.com/fast-ai-imagelocal/biwi_head_pose.tgz': [452316199, '00f4ccf66e8cba184bc292fdc08fb237'],
  'https://s3.amazonaws.com/fast-ai-imagelocal/camvid.tgz': [598913237, '648371e4f3a833682afb39b08a3ce2aa'],
  'https://s3.amazonaws.com/fast-ai-imagelocal/pascal_2007.tgz': [1637796771, '433b4706eb7c42bd74e7f784e3fdf244'],
  'https://s3.amazonaws.com/fast-ai-imagelocal/pascal_2012.tgz': [2618908000, 'd90e29e54a4c76c0c6fba8355dcbaca5'],
  'https://s3.amazonaws.com/fast-ai-imagelocal/siim_small.tgz': [33276453, '2f88ac350dce1d971ecbb5ec722da75f'],
  'https://s3.amazonaws.com/fast-ai-imagelocal/tcga_small.tgz': [14744474, '3ceffe7cf522cb1c60e93dc555d8817f'],
  'https://s3.amazonaws.com/fast-ai-modelzoo/transformer.tgz': [432848315, '024b0d2203ebb0cd1fc64b27cf8af18e'],
  'https://s3.amazonaws.com/fast-ai-nlp/ag_news_csv.tgz': [11784419, 'b86f328f4dbd072486591cb7a5644dcd'],
  'https://s3.amazonaws.com/fast-ai-nlp/amazon_review_full_csv.tgz': [71606272, '4a1196cf0adaea22f4bc3f592cddde90'],
  'https://s3.amazonaws.com/fast-ai-nlp/amazon_review_polarity_csv.tgz': [688339454, '676f7e5208ec343c8274b4bb085bc938'],
  'https://s3.amazonaws.com/fast-ai-nlp/dbpedia_csv.tgz': [68341743, '239c7837b9e79db34486f3de6a00e38e'],
  'https://s3.amazonaws.com/fast-ai-nlp/giga-fren.tgz': [2598183296, '69573f58e2c850b90f2f954077041d8c'],
  'https://s3.amazonaws.com/fast-ai-nlp/imdb.tgz': [144440600, '90f9b1c4ff43a90d67553c9240dc0249'],
  'https://s3.amazonaws.com/fast-ai-nlp/sogou_news_csv.tgz': [384269937, '950f1366d33be52f5b944f8a8b680902'],
  'https://s3.amazonaws.com/fast-ai-nlp/wikitext-103.tgz': [190200704, '2dd8cf8693b3d27e9c8f0a7df054b2c7'],
  'https://s3.amazonaws.com/fast-ai-nlp/wikitext-2.tgz': [4070055, '2a82d47a7b85c8b6a8e068dc4c1d37e7'],
  'https://s3.amazonaws.com/fast-ai-nlp/yahoo_answers_csv.tgz': [319476345, '0632a0d236ef3a529c0fa4429b339f68'],
  'https://s3.amazonaws.com/fast-ai-nlp/yelp_review_full_csv.tgz': [196146755, '1efd84215ea3e30d90e4c33764b889db'],
  'https://s3.amazonaws.com/fast-ai-nlp/yelp_review_polarity_csv.tgz': [166373201, '48c8451c1ad30472334d856b5d294807'],
  'https://s3.amazonaws.com/fast-ai-sample/adult_sample.tgz': [968212, '64eb9d7e23732de0b138f7372d15492f'],
  'https://s3.amazonaws.com/fast-ai-sample/biwi_sample.tgz': [593774, '9179f4c1435f4b291f0d5b072d60c2c9'],
  'https://s3.amazonaws.com/fast-ai-sample/camvid_tiny.tgz': [2314212, '2cf6daf91b7a2083ecfa3e9968e9d915'],
  'https://s3.amazonaws.com/fast-ai-sample/cifar10.tgz': [168168549, 'a5f8c31371b63a406b23368042812d3c'],
  'https://s3.amazonaws.com/fast-ai-sample/dogscats.tgz': [839285364, '3e483c8d6ef2175e9d395a6027eb92b7'],
  'https://s3.amazonaws.com/fast-ai-sample/human_numbers.tgz': [30252, '8a19c3bfa2bcb08cd787e741261f3ea2'],
  'https://s3.amazonaws.com/fast-ai-sample/imdb_sample.tgz': [571827, '0842e61a9867caa2e6fbdb14fa703d61'],
  'https://s3.amazonaws.com/fast-ai-sample/mnist_sample.tgz': [3214948, '2dbc7ec6f9259b583af0072c55816a88'],
  'https://s3.amazonaws.com/fast-ai-sample/mnist_tiny.tgz': [342207, '56143e8f24db90d925d82a5a74141875'],
  'https://s3.amazonaws.com/fast-ai-sample/movie_lens_sample.tgz': [51790, '10961384dfe7c5181460390a460c1f77'],
  'https://s3.amazonaws.com/fast-ai-sample/planet_sample.tgz': [15523994, '8bfb174b3162f07fbde09b54555bdb00'],
  'https://s3.amazonaws.com/fast-ai-sample/planet_tiny.tgz': [997569, '490873c5683454d4b2611fb1f00a68a9'],
  'https://storage.googleapis.com/ml-animal-sounds-datasets/macaques.zip': [131604586, '44fec3950e61d6a898f16fe30bc9c88d'],
  'https://storage.googleapis.com/ml-animal-sounds-datasets/zebra_finch.zip': [186624896, '91fa9c4ebfc986b9babc2a805a10e281'],
});
