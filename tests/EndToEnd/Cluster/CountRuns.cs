namespace ActorHost.EndToEnd.Cluster;

/// <summary>A stretch of consecutive counts from one worker incarnation (First, First+1, …, Last); Answered = when its first answer came.</summary>
internal sealed record CountRun(long First, long Last, int Incarnation, TimeSpan Answered);

/// <summary>
/// Splits one entity's successful answers, in order, into runs of consecutive counts. With one request at a time
/// per entity, a single serving owner gives one run (or a new run starting at 1 when the entity restarted fresh on
/// a new owner); two owners serving at once would interleave two counters and show runs that do not start at 1.
/// </summary>
internal static class CountRuns
{
    public static IReadOnlyList<CountRun> Of(IEnumerable<CounterAnswer> answers)
    {
        var runs = new List<CountRun>();
        CountRun? current = null;
        foreach (CounterAnswer answer in answers.Where(a => a.Ok))
        {
            long count = answer.Count!.Value;
            int incarnation = answer.Incarnation!.Value;
            if (current is not null && count == current.Last + 1 && incarnation == current.Incarnation)
            {
                current = current with { Last = count };
                runs[^1] = current;
                continue;
            }

            current = new CountRun(count, count, incarnation, answer.Done);
            runs.Add(current);
        }

        return runs;
    }

    public static string Describe(IReadOnlyList<CountRun> runs) =>
        string.Join(" | ", runs.Select(r => $"{r.First}..{r.Last}#{r.Incarnation}@{r.Answered.TotalSeconds:F2}s"));
}
