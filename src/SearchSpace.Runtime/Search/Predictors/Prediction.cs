namespace SearchSpaceDsl.Search.Predictors;

/// <summary>A predicted value with its uncertainty.</summary>
/// <param name="Mean">The predicted value.</param>
/// <param name="StandardDeviation">The predictive standard deviation; 0 for a predictor without uncertainty.</param>
public readonly record struct Prediction(double Mean, double StandardDeviation);
