using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace ActorHost.Gateway.Management.Metrics;

/// <summary>The aggregated state of one instrument: one point per label set.</summary>
/// <remarks>
/// Every request records several measurements, so finding the point of a tag set must not allocate: the
/// points are looked up by the raw tags (an alternate key), and labels are built once, when a tag set is new.
/// Before that lookup, the last few tag sets seen are compared by reference: call sites pass the same key
/// literals and the same value objects (route names from the options, outcome words, boxed statuses) request after
/// request, so a hit costs a few pointer comparisons instead of hashing and comparing every key and value as text.
/// A miss (equal text in other objects, another order) takes the lookup and still finds the one point.
/// </remarks>
internal sealed class InstrumentSeries(Instrument instrument, MetricKind kind, double[] bounds)
{
    /// <summary>How many recent tag sets are compared by reference before the lookup.</summary>
    internal const int RecentSlots = 8;

    private readonly ConcurrentDictionary<TagSet, Point> _points = new(TagSetComparer.Instance);
    private readonly RecentTagSet?[] _recent = new RecentTagSet?[RecentSlots];
    private int _nextRecent;

    public Instrument Instrument { get; } = instrument;

    /// <summary>What this instrument's measurements also feed into the request statistics.</summary>
    public StatisticsFeed FeedsStatistics { get; init; }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        Point? point = FindRecent(tags);
        if (point is null)
        {
            ConcurrentDictionary<TagSet, Point>.AlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>> lookup =
                _points.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
            if (!lookup.TryGetValue(tags, out point))
            {
                var set = new TagSet(tags.ToArray());
                point = _points.GetOrAdd(set, static (key, buckets) => new Point(Labels(key.Tags), buckets), bounds.Length + 1);
            }

            Remember(tags, point);
        }

        lock (point)
        {
            if (kind == MetricKind.Histogram)
            {
                point.Value += value;
                point.Count++;
                int bucket = Array.BinarySearch(bounds, value);
                // Upper bounds are inclusive (le): an exact hit belongs to that bucket.
                point.Buckets![bucket >= 0 ? bucket : ~bucket]++;
            }
            else if (Instrument.IsObservable)
            {
                // Observable instruments report the current value (a total or a level), not an increment.
                point.Value = value;
            }
            else
            {
                point.Value += value;
            }
        }
    }

    public void Clear()
    {
        _points.Clear();
        Array.Clear(_recent);
    }

    public MetricFamily ToFamily()
    {
        string name = PrometheusTextWriter.SanitizeName(Instrument.Name) + UnitSuffix(Instrument.Unit);
        var points = new List<MetricPoint>(_points.Count);
        foreach (Point point in _points.Values)
        {
            lock (point)
            {
                points.Add(kind == MetricKind.Histogram
                    ? new MetricPoint(point.Labels, point.Value, point.Count, bounds, [.. point.Buckets!])
                    : new MetricPoint(point.Labels, point.Value));
            }
        }

        points.Sort((a, b) => string.CompareOrdinal(string.Join(',', a.Labels), string.Join(',', b.Labels)));
        return new MetricFamily(name, Instrument.Description ?? Instrument.Name, kind, points);
    }

    private static string UnitSuffix(string? unit) => unit switch
    {
        "s" => "_seconds",
        "ms" => "_milliseconds",
        "By" => "_bytes",
        _ => string.Empty,
    };

    private static KeyValuePair<string, string>[] Labels(KeyValuePair<string, object?>[] tags)
    {
        var labels = new KeyValuePair<string, string>[tags.Length];
        for (int i = 0; i < tags.Length; i++)
        {
            labels[i] = new(PrometheusTextWriter.SanitizeName(tags[i].Key, allowColon: false),
                Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? string.Empty);
        }

        Array.Sort(labels, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return labels;
    }

    private Point? FindRecent(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (RecentTagSet? recent in _recent)
        {
            if (recent is not null && recent.IsSameAs(tags))
            {
                return recent.Point;
            }
        }

        return null;
    }

    /// <summary>Keeps the tag set among the recent ones, in place of the oldest (races only lose a slot's update).</summary>
    private void Remember(ReadOnlySpan<KeyValuePair<string, object?>> tags, Point point)
    {
        int slot = (int)((uint)Interlocked.Increment(ref _nextRecent) % RecentSlots);
        Volatile.Write(ref _recent[slot], new RecentTagSet(tags.ToArray(), point));
    }

    /// <summary>A tag set recently recorded, with its point; matched by reference, in the same order.</summary>
    private sealed class RecentTagSet(KeyValuePair<string, object?>[] tags, Point point)
    {
        public Point Point { get; } = point;

        public bool IsSameAs(ReadOnlySpan<KeyValuePair<string, object?>> other)
        {
            if (other.Length != tags.Length)
            {
                return false;
            }

            for (int i = 0; i < tags.Length; i++)
            {
                if (!ReferenceEquals(other[i].Key, tags[i].Key) || !ReferenceEquals(other[i].Value, tags[i].Value))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The raw tags of one point, as first recorded (a copy: the caller's span does not outlive the call).</summary>
    private sealed class TagSet(KeyValuePair<string, object?>[] tags)
    {
        public KeyValuePair<string, object?>[] Tags { get; } = tags;
    }

    /// <summary>
    /// Tag sets are equal when they hold the same pairs in any order (call sites do not promise an order);
    /// the hash is order-independent for the same reason. Values compare with <see cref="object.Equals(object?, object?)"/>,
    /// so a boxed 500 equals another boxed 500.
    /// </summary>
    private sealed class TagSetComparer : IEqualityComparer<TagSet>, IAlternateEqualityComparer<ReadOnlySpan<KeyValuePair<string, object?>>, TagSet>
    {
        public static readonly TagSetComparer Instance = new();

        public bool Equals(TagSet? x, TagSet? y) => ReferenceEquals(x, y) || (x is not null && y is not null && Equals(x.Tags, y));

        public int GetHashCode(TagSet obj) => Hash(obj.Tags);

        public bool Equals(ReadOnlySpan<KeyValuePair<string, object?>> alternate, TagSet other)
        {
            KeyValuePair<string, object?>[] known = other.Tags;
            if (alternate.Length != known.Length)
            {
                return false;
            }

            foreach (KeyValuePair<string, object?> tag in alternate)
            {
                if (!Contains(known, tag))
                {
                    return false;
                }
            }

            return true;
        }

        public int GetHashCode(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => Hash(alternate);

        public TagSet Create(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => new(alternate.ToArray());

        private static bool Contains(KeyValuePair<string, object?>[] known, KeyValuePair<string, object?> tag)
        {
            foreach (KeyValuePair<string, object?> candidate in known)
            {
                if (string.Equals(candidate.Key, tag.Key, StringComparison.Ordinal) && Equals(candidate.Value, tag.Value))
                {
                    return true;
                }
            }

            return false;
        }

        private static int Hash(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            int hash = tags.Length;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                // Summed, so the order of the tags does not matter.
                hash += HashCode.Combine(StringComparer.Ordinal.GetHashCode(tag.Key), tag.Value?.GetHashCode() ?? 0);
            }

            return hash;
        }
    }

    private sealed class Point(KeyValuePair<string, string>[] labels, int buckets)
    {
        public KeyValuePair<string, string>[] Labels { get; } = labels;

        public double Value { get; set; }

        public long Count { get; set; }

        public long[]? Buckets { get; } = new long[buckets];
    }
}

/// <summary>Which request statistic an instrument's measurements feed (see <see cref="MeterAggregator"/>).</summary>
internal enum StatisticsFeed
{
    /// <summary>None: only <c>/metrics</c>.</summary>
    None,

    /// <summary>The request counter: counts by outcome and status.</summary>
    RequestCount,

    /// <summary>The request duration histogram: latencies.</summary>
    RequestDuration,
}
