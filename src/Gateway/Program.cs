using ActorHost.Gateway.Cli;

return await GatewayCommandLine.InvokeAsync(args, Console.Out, Console.Error);
