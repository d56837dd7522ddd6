using ActorSync.Cli;

return await ActorSyncCli.InvokeAsync(args);
