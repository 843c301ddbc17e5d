using ActorHost.Actors;
using ActorHost.Workers.Events;
using ActorHost.Workers.Registration;
using ActorHost.Workers.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ActorHost.Workers.Tests.Registration;

public class RegistrationTests
{
    [Fact]
    public void Registrations_from_several_calls_accumulate_into_one_registry()
    {
        var services = new ServiceCollection();
        services.AddActorHostWorkers(w => w.Add<ProbeWorker>("probe"));
        services.AddSampleWorkers();

        WorkerRegistry registry = services.BuildServiceProvider().GetRequiredService<WorkerRegistry>();

        Assert.Equal(["counter", "echo", "partial", "probe", "slow", "stream"], registry.Names);
        Assert.True(registry.TryGet("probe", out WorkerRegistration? probe));
        Assert.Equal(typeof(ProbeWorker), probe.WorkerType);
        Assert.False(registry.TryGet("Probe", out _));
    }

    [Fact]
    public void A_name_registered_twice_is_refused()
    {
        var builder = new WorkerRegistryBuilder().Add<ProbeWorker>("probe");

        ArgumentException e = Assert.Throws<ArgumentException>(() => builder.Add<PlainWorker>("probe"));
        Assert.Contains("already registered", e.Message);
    }

    [Theory]
    [InlineData(typeof(RequestWorker))]
    [InlineData(typeof(string))]
    public void Only_concrete_worker_classes_can_be_registered(Type type) =>
        Assert.Throws<ArgumentException>(() => new WorkerRegistryBuilder().Add("x", type));

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("two words")]
    public void Names_must_be_non_empty_without_whitespace(string name) =>
        Assert.ThrowsAny<ArgumentException>(() => new WorkerRegistryBuilder().Add<PlainWorker>(name));

    [Fact]
    public async Task Workers_get_services_from_DI_and_their_context_without_asking_for_it_in_the_constructor()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("plain", worker: "plain")], workers: w => w.Add<PlainWorker>("plain"));

        Exchange x = h.Send("plain", action: null);

        Assert.Equal(RequestOutcome.Ok, await x.OutcomeAsync());
        Assert.Equal("/user/routes/plain/worker-1#1", x.Sink.BodyText);
        Assert.Equal(1, h.Journal.Count("plain handled"));
    }

    [Fact]
    public async Task An_async_disposable_worker_is_disposed_when_its_incarnation_ends()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("d", worker: "disposable")], workers: w => w.Add<AsyncDisposableWorker>("disposable"));
        await h.SendAsync("d", action: "throw");

        await h.Journal.WhenWritten("disposed async 1").WaitAsync(Harness.Guard);
        Assert.Equal(RequestOutcome.Ok, await h.Send("d", action: null).OutcomeAsync());
    }

    [Fact]
    public async Task A_worker_whose_dependencies_cannot_be_resolved_fails_to_initialize_and_its_request_gets_worker_stopped()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("m", worker: "missing")], workers: w => w.Add<NeedsMissingServiceWorker>("missing"));

        Exchange x = h.Send("m", action: null, key: "k");

        Assert.Equal(RequestOutcome.WorkerStopped, await x.OutcomeAsync());
        WorkerFailed failed = await h.Expect<WorkerFailed>();
        Assert.IsAssignableFrom<ActorInitializationException>(failed.Exception);
        Assert.IsType<InvalidOperationException>(failed.Exception.InnerException);
    }

    [Fact]
    public async Task A_disposable_worker_whose_OnStarted_throws_is_disposed_before_its_failure_is_supervised()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("b", worker: "bad-start")], workers: w => w.Add<BadStartWorker>("bad-start"));

        // The pool's only worker fails to start: an initialization failure, so it is stopped and reported stopped.
        WorkerStopped stopped = await h.Expect<WorkerStopped>();

        Assert.Equal(WorkerStopReason.Stopped, stopped.Reason);
        Assert.Equal(["disposed bad-start 1"], h.Journal.Entries);
    }

    [Fact]
    public async Task A_transient_disposable_dependency_is_disposed_when_the_incarnation_that_resolved_it_ends()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("d", worker: "with-dependency")],
            workers: w => w.Add<DependentWorker>("with-dependency"),
            services: s => s.AddTransient<IncarnationResource>());

        await h.SendAsync("d", "throw");
        await h.Expect<WorkerRestarted>(e => e.Incarnation == 2);
        await h.SendAsync("d", "throw");
        await h.Expect<WorkerRestarted>(e => e.Incarnation == 3);

        // Not kept by the root container until the process ends: the two that each ended incarnation resolved are
        // disposed with it, the live incarnation's are not.
        Assert.Equal(
            ["resource disposed 1", "resource disposed 1", "resource disposed 2", "resource disposed 2"],
            h.Journal.Entries.Where(e => e.StartsWith("resource", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_scoped_service_is_one_per_incarnation_and_disposed_with_it()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("d", worker: "with-dependency")],
            workers: w => w.Add<DependentWorker>("with-dependency"),
            services: s => s.AddScoped<IncarnationResource>());

        Exchange first = h.Send("d", action: null);
        Assert.Equal(RequestOutcome.Ok, await first.OutcomeAsync());
        await h.SendAsync("d", "throw");
        await h.Expect<WorkerRestarted>(e => e.Incarnation == 2);
        Exchange second = h.Send("d", action: null);
        Assert.Equal(RequestOutcome.Ok, await second.OutcomeAsync());

        // One instance shared within an incarnation (the constructor takes it twice), a fresh one for the next.
        Assert.Equal("resource 1 shared", first.Sink.BodyText);
        Assert.Equal("resource 2 shared", second.Sink.BodyText);
        Assert.Equal(["resource disposed 1"], h.Journal.Entries.Where(e => e.StartsWith("resource", StringComparison.Ordinal)));
    }

    [Fact]
    public void Only_a_worker_that_takes_a_transient_scoped_or_unregistered_service_gets_a_scope_per_incarnation()
    {
        var services = new ServiceCollection();
        services.AddSingleton<Journal>();
        services.AddTransient<IncarnationResource>();
        services.AddLogging();
        services.AddActorHostWorkers(w => w
            .Add<PlainWorker>("singleton")
            .Add<LoggingWorker>("open-generic-singleton")
            .Add<DependentWorker>("transient")
            .Add<NeedsMissingServiceWorker>("unregistered"));
        services.AddSampleWorkers();

        WorkerRegistry registry = services.BuildServiceProvider().GetRequiredService<WorkerRegistry>();
        bool NeedsScope(string name) => Assert.IsType<WorkerRegistration>(registry.TryGet(name, out WorkerRegistration? r) ? r : null).NeedsScope;

        Assert.False(NeedsScope("singleton"));
        Assert.False(NeedsScope("open-generic-singleton"));
        Assert.False(NeedsScope("counter"));
        Assert.True(NeedsScope("transient"));
        Assert.True(NeedsScope("unregistered"));
    }

    public sealed class LoggingWorker(Microsoft.Extensions.Logging.ILogger<LoggingWorker> log) : RequestWorker
    {
        public override Task HandleAsync(WorkerRequest request, WorkerResponse response, CancellationToken cancellationToken) =>
            Task.FromResult(log);
    }

    public sealed class PlainWorker(Journal journal) : RequestWorker
    {
        public override async Task HandleAsync(WorkerRequest request, WorkerResponse response, CancellationToken cancellationToken)
        {
            journal.Write("plain handled");
            await response.WriteAsync($"{Context.Path}#{Context.Incarnation}", cancellationToken);
        }
    }

    public sealed class AsyncDisposableWorker(Journal journal, WorkerContext context) : RequestWorker, IAsyncDisposable
    {
        public override Task HandleAsync(WorkerRequest request, WorkerResponse response, CancellationToken cancellationToken) =>
            request.QueryValue("do") == "throw" ? throw new InvalidOperationException("fail") : Task.CompletedTask;

        public async ValueTask DisposeAsync()
        {
            await Task.Yield();
            journal.Write($"disposed async {context.Incarnation}");
        }
    }

    public sealed class BadStartWorker(Journal journal, WorkerContext context) : RequestWorker, IDisposable
    {
        public override Task HandleAsync(WorkerRequest request, WorkerResponse response, CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose() => journal.Write($"disposed bad-start {context.Incarnation}");

        protected override void OnStarted() => throw new InvalidOperationException("cannot start");

        protected override void OnStopped() => journal.Write("stopped bad-start");
    }

    /// <summary>A disposable dependency that knows the incarnation that resolved it.</summary>
    public sealed class IncarnationResource(Journal journal) : IDisposable
    {
        public int Incarnation { get; set; }

        public void Dispose() => journal.Write($"resource disposed {Incarnation}");
    }

    public sealed class DependentWorker : RequestWorker
    {
        private readonly IncarnationResource _resource;
        private readonly bool _shared;

        public DependentWorker(IncarnationResource resource, IncarnationResource again, WorkerContext context)
        {
            resource.Incarnation = again.Incarnation = context.Incarnation;
            _resource = resource;
            _shared = ReferenceEquals(resource, again);
        }

        public override Task HandleAsync(WorkerRequest request, WorkerResponse response, CancellationToken cancellationToken) =>
            request.QueryValue("do") == "throw"
                ? throw new InvalidOperationException("fail")
                : response.WriteAsync($"resource {_resource.Incarnation} {(_shared ? "shared" : "separate")}", cancellationToken).AsTask();
    }

    public sealed class NeedsMissingServiceWorker(IComparer<Journal> missing) : RequestWorker
    {
        public override Task HandleAsync(WorkerRequest request, WorkerResponse response, CancellationToken cancellationToken) =>
            Task.FromResult(missing);
    }
}
