using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace TabTwin.Evaluation.Utility;

/// <summary>Settings of the LightGBM models the utility and detection metrics train.</summary>
public sealed record BoostingOptions
{
    public int Seed { get; init; }
    public int Iterations { get; init; } = 100;
    public int Leaves { get; init; } = 31;
    public double LearningRate { get; init; } = 0.1;
    /// <summary>LightGBM threads; a fixed count keeps results identical run to run (1 = fully deterministic).</summary>
    public int Threads { get; init; } = 1;
}

/// <summary>
/// Thin deterministic wrapper over ML.NET's LightGBM trainers: fixed MLContext seed, fixed LightGBM seed and thread
/// count. Data go in as dense float vectors and come out as raw scores, so the metrics compute AUC/F1/R² themselves.
/// </summary>
internal static class GradientBoosting
{
    private sealed class Row
    {
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    private sealed class BinaryRow
    {
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    private static SchemaDefinition Definition<T>(int width)
    {
        var definition = SchemaDefinition.Create(typeof(T));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return definition;
    }

    /// <summary>Trains a binary classifier and returns the raw score of each test row (higher = more likely positive).</summary>
    public static double[] BinaryScores(float[][] train, bool[] labels, float[][] test, BoostingOptions settings)
    {
        var ml = new MLContext(settings.Seed);
        int width = train[0].Length;
        var data = ml.Data.LoadFromEnumerable(train.Select((f, i) => new BinaryRow { Features = f, Label = labels[i] }), Definition<BinaryRow>(width));
        var trainer = ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfIterations = settings.Iterations, NumberOfLeaves = settings.Leaves, LearningRate = settings.LearningRate,
            NumberOfThreads = settings.Threads, Seed = settings.Seed, Silent = true, Verbose = false,
        });
        var model = trainer.Fit(data);
        var testData = ml.Data.LoadFromEnumerable(test.Select(f => new BinaryRow { Features = f }), Definition<BinaryRow>(width));
        return model.Transform(testData).GetColumn<float>("Score").Select(s => (double)s).ToArray();
    }

    /// <summary>Trains a multiclass classifier over classes 0..k−1 and returns the predicted class of each test row.</summary>
    /// <remarks>The label goes through ML.NET's own value→key mapping (and back), the path its multiclass trainers are built for.</remarks>
    public static int[] MulticlassPredictions(float[][] train, int[] labels, float[][] test, BoostingOptions settings)
    {
        var ml = new MLContext(settings.Seed);
        int width = train[0].Length;
        var data = ml.Data.LoadFromEnumerable(train.Select((f, i) => new Row { Features = f, Label = labels[i] }), Definition<Row>(width));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "Label")
            .Append(ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                NumberOfIterations = settings.Iterations, NumberOfLeaves = settings.Leaves, LearningRate = settings.LearningRate,
                NumberOfThreads = settings.Threads, Seed = settings.Seed, Silent = true, Verbose = false,
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"));
        var model = pipeline.Fit(data);
        var testData = ml.Data.LoadFromEnumerable(test.Select(f => new Row { Features = f, Label = labels[0] }), Definition<Row>(width));
        return model.Transform(testData).GetColumn<float>("PredictedClass").Select(v => (int)v).ToArray();
    }

    /// <summary>Trains a regressor and returns the prediction for each test row.</summary>
    public static double[] RegressionPredictions(float[][] train, float[] labels, float[][] test, BoostingOptions settings)
    {
        var ml = new MLContext(settings.Seed);
        int width = train[0].Length;
        var data = ml.Data.LoadFromEnumerable(train.Select((f, i) => new Row { Features = f, Label = labels[i] }), Definition<Row>(width));
        var trainer = ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            NumberOfIterations = settings.Iterations, NumberOfLeaves = settings.Leaves, LearningRate = settings.LearningRate,
            NumberOfThreads = settings.Threads, Seed = settings.Seed, Silent = true, Verbose = false,
        });
        var model = trainer.Fit(data);
        var testData = ml.Data.LoadFromEnumerable(test.Select(f => new Row { Features = f }), Definition<Row>(width));
        return model.Transform(testData).GetColumn<float>("Score").Select(s => (double)s).ToArray();
    }
}
