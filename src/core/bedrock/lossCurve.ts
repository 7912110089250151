// The points of a loss curve, with no imports: the loss chart's webview (type-checked without Node's
// types) shares them with trainingMetrics.ts, which reads them from a job's metrics files.
export interface LossPoint {
  step: number;
  epoch: number;
  loss: number;
}

export interface LossCurves {
  training: LossPoint[];
  /** Empty when the job had no validation data (or the model writes no validation metrics). */
  validation: LossPoint[];
}
