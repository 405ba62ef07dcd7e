-- When wrk is done: one JSON line of figures, which bench/run.py reads. The latencies come as wrk recorded
-- them, each distinct value (µs) with how many requests took it, so that several runs can be merged into one
-- distribution; bench/run.py reads the percentiles off it.
function done(summary, latency, requests)
  local errors = summary.errors
  local counts = {}
  for i = 1, #latency do
    local value, count = latency(i)
    counts[i] = string.format("[%d, %d]", value, count)
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "socket_errors": %d, "bad_status": %d, "latency_us": [%s]}\n',
    summary.requests, summary.duration, errors.connect + errors.read + errors.write + errors.timeout,
    errors.status, table.concat(counts, ", ")))
end
