using ActorHost.Gateway.Cli;

if (args.Length > 0 && args[0] == "hocon")
{
    return HoconCommand.Run(args[1..], Console.Out, Console.Error);
}

// Placeholder entry point until the configuration loader lands.
Console.WriteLine("ActorHost gateway: not implemented yet.");
return 0;
