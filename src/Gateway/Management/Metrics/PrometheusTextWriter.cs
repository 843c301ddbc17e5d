using System.Globalization;
using System.Text;

namespace ActorHost.Gateway.Management.Metrics;

/// <summary>
/// Writes <see cref="MetricFamily"/>s in the Prometheus text exposition format 0.0.4: per family one
/// <c># HELP</c> and one <c># TYPE</c> line followed by its samples; counters as <c>name_total</c>;
/// histograms as cumulative <c>_bucket{le=...}</c> lines ending with <c>le="+Inf"</c>, then <c>_sum</c> and
/// <c>_count</c>; label values escaped (<c>\\</c>, <c>\"</c>, <c>\n</c>), help text escaped (<c>\\</c>, <c>\n</c>).
/// </summary>
internal static class PrometheusTextWriter
{
    /// <summary>The content type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(IEnumerable<MetricFamily> families)
    {
        ArgumentNullException.ThrowIfNull(families);
        var text = new StringBuilder(4096);
        foreach (MetricFamily family in families)
        {
            string name = family.Kind == MetricKind.Counter ? family.Name + "_total" : family.Name;
            text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(TypeWord(family.Kind)).Append('\n');
            foreach (MetricPoint point in family.Points)
            {
                if (family.Kind == MetricKind.Histogram)
                {
                    WriteHistogram(text, name, point);
                }
                else
                {
                    Sample(text, name, point.Labels, null, point.Value);
                }
            }
        }

        return text.ToString();
    }

    /// <summary>A valid metric or label name: invalid characters become '_', a leading digit gets a '_' in front.</summary>
    public static string SanitizeName(string name, bool allowColon = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var builder = new StringBuilder(name.Length + 1);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool valid = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (allowColon && c == ':') || (i > 0 && c is >= '0' and <= '9');
            if (!valid && i == 0 && c is >= '0' and <= '9')
            {
                builder.Append('_').Append(c);
                continue;
            }

            builder.Append(valid ? c : '_');
        }

        return builder.ToString();
    }

    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static void WriteHistogram(StringBuilder text, string name, MetricPoint point)
    {
        IReadOnlyList<double> bounds = point.Bounds ?? [];
        IReadOnlyList<long> counts = point.BucketCounts ?? [point.Count];
        long cumulative = 0;
        for (int i = 0; i < bounds.Count; i++)
        {
            cumulative += i < counts.Count ? counts[i] : 0;
            Sample(text, name + "_bucket", point.Labels, FormatValue(bounds[i]), cumulative);
        }

        Sample(text, name + "_bucket", point.Labels, "+Inf", point.Count);
        Sample(text, name + "_sum", point.Labels, null, point.Value);
        Sample(text, name + "_count", point.Labels, null, point.Count);
    }

    private static void Sample(StringBuilder text, string name, IReadOnlyList<KeyValuePair<string, string>> labels, string? le, double value)
    {
        text.Append(name);
        if (labels.Count > 0 || le is not null)
        {
            text.Append('{');
            bool first = true;
            foreach ((string label, string labelValue) in labels)
            {
                if (!first)
                {
                    text.Append(',');
                }

                text.Append(label).Append("=\"").Append(EscapeLabelValue(labelValue)).Append('"');
                first = false;
            }

            if (le is not null)
            {
                text.Append(first ? string.Empty : ",").Append("le=\"").Append(le).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(FormatValue(value)).Append('\n');
    }

    private static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string TypeWord(MetricKind kind) => kind switch
    {
        MetricKind.Counter => "counter",
        MetricKind.Histogram => "histogram",
        _ => "gauge",
    };
}
