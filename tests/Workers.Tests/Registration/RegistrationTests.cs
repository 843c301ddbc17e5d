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

    public sealed class NeedsMissingServiceWorker(IComparer<Journal> missing) : RequestWorker
    {
        public override Task HandleAsync(WorkerRequest request, WorkerResponse response, CancellationToken cancellationToken) =>
            Task.FromResult(missing);
    }
}
