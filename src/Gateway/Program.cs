// Placeholder entry point until the gateway issue lands.
Console.WriteLine("ActorHost gateway: not implemented yet.");
return 0;
