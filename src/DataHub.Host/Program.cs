using DataHub.Host.Cli;

return await DataHubCli.RunAsync(args);
