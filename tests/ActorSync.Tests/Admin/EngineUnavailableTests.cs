using System.Net;
using ActorSync.Admin;
using ActorSync.Configuration;
using ActorSync.Hosting;
using ActorSync.Telemetry;
using ActorSync.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorSync.Tests.Admin;

/// <summary>The admin endpoint while there is no engine to ask: not started yet, or stopped. 503 with a JSON error.</summary>
public sealed class EngineUnavailableTests
{
    [Fact]
    public async Task Before_the_engine_starts_and_after_it_stops_status_ready_and_commands_answer_503_while_live_and_metrics_answer()
    {
        var databases = new Dictionary<string, string> { ["db"] = "Host=127.0.0.1;Port=1;Username=nobody;Password=never-shown" };
        using var config = ConfigFile.Write(databases, ["{ name = dormant, source = \"db:public.a\", target = \"db:public.b\" }"]);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var configuration = ActorSyncConfiguration.Load(config.Path);
        builder.Services.AddActorSyncMetrics(configuration);
        builder.Services.AddSingleton<EngineAccessor>();
        builder.Services.AddActorSyncAdmin(configuration);
        builder.Services.AddActorSyncTelemetry(builder.Configuration, prometheus: true);
        await using var app = builder.Build();
        app.MapActorSyncAdmin();
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        await AssertAsync(client.GetAsync("status"), HttpStatusCode.ServiceUnavailable, """{"error":"the engine is not started"}""");
        await AssertAsync(client.GetAsync("status/dormant"), HttpStatusCode.ServiceUnavailable, """{"error":"the engine is not started"}""");
        await AssertAsync(client.PostAsync("syncs/dormant/pause", null), HttpStatusCode.ServiceUnavailable, """{"error":"the engine is not started"}""");
        await AssertAsync(client.GetAsync("health/ready"), HttpStatusCode.ServiceUnavailable, """{"status":"unhealthy","reasons":["the engine is not started"]}""");
        await AssertAsync(client.GetAsync("health/live"), HttpStatusCode.OK, """{"status":"healthy","reasons":[]}""");
        using (var metrics = await client.GetAsync("metrics"))
        {
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
            Assert.Contains("actorsync_rows_applied_total{sync=\"dormant\"} 0\n", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var engine = EngineHarness.Start(databases, []);
        await engine.DisposeAsync();
        app.Services.GetRequiredService<EngineAccessor>().Engine = engine;

        await AssertAsync(client.GetAsync("status"), HttpStatusCode.ServiceUnavailable, """{"error":"the engine has stopped"}""");
        await AssertAsync(client.PostAsync("syncs/dormant/resync", null), HttpStatusCode.ServiceUnavailable, """{"error":"the engine has stopped"}""");
        await app.StopAsync();
    }

    private static async Task AssertAsync(Task<HttpResponseMessage> request, HttpStatusCode code, string body)
    {
        using var response = await request;
        Assert.Equal(code, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }
}
