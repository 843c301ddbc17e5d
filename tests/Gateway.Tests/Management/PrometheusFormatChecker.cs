using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ActorHost.Gateway.Tests.Management;

/// <summary>
/// A checker for the Prometheus text exposition format (version 0.0.4), written from the format's rules:
/// lines end with '\n'; metric names match <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c> and label names
/// <c>[a-zA-Z_][a-zA-Z0-9_]*</c> (not starting with <c>__</c>); at most one HELP and one TYPE per family, TYPE
/// before the family's first sample, type one of counter/gauge/histogram/summary/untyped; a family's lines
/// form one group; label values use only the escapes <c>\\</c>, <c>\"</c>, <c>\n</c>; no label name twice in a
/// sample; no series twice; values are Go floats (incl. NaN, +Inf, -Inf); histograms have <c>_bucket</c> series
/// with an <c>le</c> label, buckets non-decreasing in <c>le</c> order, an <c>le="+Inf"</c> bucket equal to
/// <c>_count</c>, and <c>_sum</c> and <c>_count</c> for every label set.
/// </summary>
internal static partial class PrometheusFormatChecker
{
    private static readonly HashSet<string> Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    public static IReadOnlyList<string> Check(string text)
    {
        var problems = new List<string>();
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            problems.Add("the last line does not end with a line feed");
        }

        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var helps = new HashSet<string>(StringComparer.Ordinal);
        var finishedFamilies = new HashSet<string>(StringComparer.Ordinal);
        var seriesSeen = new HashSet<string>(StringComparer.Ordinal);
        var histograms = new Dictionary<string, Dictionary<string, HistogramSeries>>(StringComparer.Ordinal);
        string? currentFamily = null;
        string[] lines = text.TrimEnd('\n').Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n];
            string where = $"line {n + 1}";
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                string[] parts = line.Split(' ', 4);
                if (parts.Length >= 3 && parts[0] == "#" && parts[1] is "HELP" or "TYPE")
                {
                    string name = parts[2];
                    if (!MetricName().IsMatch(name))
                    {
                        problems.Add($"{where}: invalid metric name \"{name}\"");
                    }

                    Enter(name, where);
                    if (parts[1] == "HELP")
                    {
                        if (!helps.Add(name))
                        {
                            problems.Add($"{where}: second HELP for {name}");
                        }

                        if (parts.Length == 4 && !ValidHelpEscapes(parts[3]))
                        {
                            problems.Add($"{where}: HELP text of {name} has an invalid escape");
                        }
                    }
                    else
                    {
                        string type = parts.Length == 4 ? parts[3] : string.Empty;
                        if (!Types.Contains(type))
                        {
                            problems.Add($"{where}: unknown type \"{type}\" for {name}");
                        }

                        if (types.ContainsKey(name))
                        {
                            problems.Add($"{where}: second TYPE for {name}");
                        }

                        if (seriesSeen.Any(s => s.StartsWith(name + "{", StringComparison.Ordinal) || s == name))
                        {
                            problems.Add($"{where}: TYPE for {name} after its samples");
                        }

                        types[name] = type;
                    }
                }

                continue;
            }

            if (!TryParseSample(line, out string metric, out List<KeyValuePair<string, string>> labels, out double value, out string? error))
            {
                problems.Add($"{where}: {error}");
                continue;
            }

            string family = FamilyOf(metric, types);
            Enter(family, where);
            string seriesKey = metric + "{" + string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)) + "}";
            if (!seriesSeen.Add(seriesKey))
            {
                problems.Add($"{where}: duplicate series {seriesKey}");
            }

            if (types.GetValueOrDefault(family) == "counter" && value < 0)
            {
                problems.Add($"{where}: counter {metric} is negative");
            }

            if (types.GetValueOrDefault(family) == "histogram")
            {
                string labelSet = string.Join(",", labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));
                Dictionary<string, HistogramSeries> byLabels = histograms.TryGetValue(family, out var h) ? h : histograms[family] = new(StringComparer.Ordinal);
                HistogramSeries series = byLabels.TryGetValue(labelSet, out var s) ? s : byLabels[labelSet] = new HistogramSeries();
                if (metric == family + "_bucket")
                {
                    string? le = labels.FirstOrDefault(l => l.Key == "le").Value;
                    if (le is null || !TryParseValue(le, out double bound))
                    {
                        problems.Add($"{where}: histogram bucket without a valid le label");
                    }
                    else
                    {
                        series.Buckets.Add((bound, value));
                    }
                }
                else if (metric == family + "_sum")
                {
                    series.Sum = value;
                }
                else if (metric == family + "_count")
                {
                    series.Count = value;
                }
                else
                {
                    problems.Add($"{where}: {metric} is not a histogram series of {family}");
                }
            }
        }

        foreach ((string family, Dictionary<string, HistogramSeries> byLabels) in histograms)
        {
            foreach ((string labelSet, HistogramSeries series) in byLabels)
            {
                string id = $"{family}{{{labelSet}}}";
                if (series.Buckets.Count == 0 || !double.IsPositiveInfinity(series.Buckets[^1].Bound))
                {
                    problems.Add($"{id}: no le=\"+Inf\" bucket (or it is not the last)");
                }

                for (int i = 1; i < series.Buckets.Count; i++)
                {
                    if (series.Buckets[i].Bound <= series.Buckets[i - 1].Bound)
                    {
                        problems.Add($"{id}: bucket bounds are not increasing");
                    }

                    if (series.Buckets[i].Value < series.Buckets[i - 1].Value)
                    {
                        problems.Add($"{id}: bucket counts are not cumulative (le={series.Buckets[i].Bound})");
                    }
                }

                if (series.Count is null || series.Sum is null)
                {
                    problems.Add($"{id}: missing _sum or _count");
                }
                else if (series.Buckets.Count > 0 && series.Buckets[^1].Value != series.Count)
                {
                    problems.Add($"{id}: +Inf bucket {series.Buckets[^1].Value} differs from _count {series.Count}");
                }
            }
        }

        return problems;

        void Enter(string family, string where)
        {
            if (currentFamily == family)
            {
                return;
            }

            if (currentFamily is not null)
            {
                finishedFamilies.Add(currentFamily);
            }

            if (finishedFamilies.Contains(family))
            {
                problems.Add($"{where}: lines of {family} are not in one group");
            }

            currentFamily = family;
        }
    }

    private static string FamilyOf(string metric, Dictionary<string, string> types)
    {
        foreach (string suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (metric.EndsWith(suffix, StringComparison.Ordinal) && types.GetValueOrDefault(metric[..^suffix.Length]) is "histogram" or "summary")
            {
                return metric[..^suffix.Length];
            }
        }

        return metric;
    }

    private static bool TryParseSample(string line, out string metric, out List<KeyValuePair<string, string>> labels, out double value, out string? error)
    {
        labels = [];
        value = 0;
        error = null;
        int i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
        {
            i++;
        }

        metric = line[..i];
        if (!MetricName().IsMatch(metric))
        {
            error = $"invalid metric name \"{metric}\"";
            return false;
        }

        if (i < line.Length && line[i] == '{')
        {
            i++;
            var names = new HashSet<string>(StringComparer.Ordinal);
            while (i < line.Length && line[i] != '}')
            {
                int start = i;
                while (i < line.Length && line[i] != '=')
                {
                    i++;
                }

                string name = line[start..i];
                if (!LabelName().IsMatch(name) || name.StartsWith("__", StringComparison.Ordinal))
                {
                    error = $"invalid label name \"{name}\"";
                    return false;
                }

                if (!names.Add(name))
                {
                    error = $"label {name} appears twice";
                    return false;
                }

                if (i + 1 >= line.Length || line[i + 1] != '"')
                {
                    error = $"label {name} has no quoted value";
                    return false;
                }

                i += 2;
                var labelValue = new StringBuilder();
                while (i < line.Length && line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        char next = i + 1 < line.Length ? line[i + 1] : '\0';
                        if (next is not ('\\' or '"' or 'n'))
                        {
                            error = $"label {name} has an invalid escape \\{next}";
                            return false;
                        }

                        labelValue.Append(next == 'n' ? '\n' : next);
                        i += 2;
                        continue;
                    }

                    labelValue.Append(line[i]);
                    i++;
                }

                if (i >= line.Length)
                {
                    error = $"label {name}'s value is not closed";
                    return false;
                }

                labels.Add(new(name, labelValue.ToString()));
                i++;
                if (i < line.Length && line[i] == ',')
                {
                    i++;
                }
            }

            if (i >= line.Length)
            {
                error = "label set is not closed";
                return false;
            }

            i++;
        }

        string[] rest = line[i..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (i >= line.Length || line[i] != ' ' || rest.Length is 0 or > 2)
        {
            error = "expected one space, a value and an optional timestamp";
            return false;
        }

        if (!TryParseValue(rest[0], out value))
        {
            error = $"invalid value \"{rest[0]}\"";
            return false;
        }

        if (rest.Length == 2 && !long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            error = $"invalid timestamp \"{rest[1]}\"";
            return false;
        }

        return true;
    }

    private static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !text.Contains(',', StringComparison.Ordinal);
        }
    }

    private static bool ValidHelpEscapes(string help)
    {
        for (int i = 0; i < help.Length; i++)
        {
            if (help[i] == '\\')
            {
                if (i + 1 >= help.Length || help[i + 1] is not ('\\' or 'n'))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    private sealed class HistogramSeries
    {
        public List<(double Bound, double Value)> Buckets { get; } = [];

        public double? Sum { get; set; }

        public double? Count { get; set; }
    }
}
