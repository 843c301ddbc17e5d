// Placeholder entry point until the configuration loader lands.
Console.WriteLine("ActorHost gateway: not implemented yet.");
return 0;
