/** Tables: a small data frame, CSV reading, fastai's tabular processors, data loaders and learner. */
export { DataFrame, inferDtype, compareValues, valueText, type Value, type Dtype, type Row } from './dataframe.js';
export { readCsv, typeColumns, type ReadCsvOptions } from './csv.js';
export { TabularDataError } from './errors.js';
