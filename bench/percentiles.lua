-- wrk prints p50/p75/p90/p99 only: the runner wants p95 too (microseconds).
done = function(summary, latency, requests)
  io.write(string.format("PCT %d %d %d\n", latency:percentile(50), latency:percentile(95),
                         latency:percentile(99)))
end
