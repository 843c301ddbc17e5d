using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ActorHost.Workers;

/// <summary>
/// The response as a handler sees it: status, headers and a body it may stream. What the client really
/// received is tracked by the gateway, so a handler cannot fake a status after the response started.
/// </summary>
public sealed class WorkerResponse
{
    private readonly ResponseChannel _channel;

    /// <summary>Creates the handler's view of a channel.</summary>
    /// <param name="channel">The channel that owns the real response.</param>
    public WorkerResponse(ResponseChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channel = channel;
    }

    /// <summary>The status to send; settable until the response starts.</summary>
    public int StatusCode
    {
        get => _channel.StatusCode;
        set => _channel.StatusCode = value;
    }

    /// <summary>True once the status line and headers went out.</summary>
    public bool HasStarted => _channel.HasStarted;

    /// <summary>Body bytes accepted so far.</summary>
    public long BytesWritten => _channel.BytesWritten;

    /// <summary>Sets the Content-Type header.</summary>
    public string ContentType
    {
        set => _channel.SetHeader("Content-Type", value);
    }

    /// <summary>Sets (or replaces) a response header; only before the response starts.</summary>
    /// <param name="name">Header name.</param>
    /// <param name="value">Header value.</param>
    public void SetHeader(string name, string value) => _channel.SetHeader(name, value);

    /// <summary>Writes body bytes, starting the response on the first call.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="cancellationToken">The handler's token.</param>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        _channel.WriteAsync(data, cancellationToken);

    /// <summary>Writes UTF-8 text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="cancellationToken">The handler's token.</param>
    public ValueTask WriteAsync(string text, CancellationToken cancellationToken = default) =>
        _channel.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

    /// <summary>Serialises a value as the whole JSON body (sets Content-Type when not yet started).</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">The handler's token.</param>
    public ValueTask WriteJsonAsync<T>(T value, CancellationToken cancellationToken = default) =>
        WriteJsonBodyAsync(JsonSerializer.SerializeToUtf8Bytes(value, JsonDefaults.Web), cancellationToken);

    /// <summary>
    /// Serialises a value as the whole JSON body with source-generated metadata (no reflection: faster, and fit
    /// for trimming and native AOT); sets Content-Type when not yet started.
    /// </summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="typeInfo">The type's metadata from a <see cref="System.Text.Json.Serialization.JsonSerializerContext"/>.</param>
    /// <param name="cancellationToken">The handler's token.</param>
    public ValueTask WriteJsonAsync<T>(T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return WriteJsonBodyAsync(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), cancellationToken);
    }

    /// <summary>Pushes what was written to the client now (for streaming responses).</summary>
    /// <param name="cancellationToken">The handler's token.</param>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _channel.FlushAsync(cancellationToken);

    private ValueTask WriteJsonBodyAsync(byte[] json, CancellationToken cancellationToken)
    {
        if (!_channel.HasStarted)
        {
            _channel.SetHeader("Content-Type", "application/json; charset=utf-8");
        }

        return _channel.WriteAsync(json, cancellationToken);
    }
}
