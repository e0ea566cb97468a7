-- wrk script for faults/run.py: takes turns through the paths given after "--", counts each
-- thread's 5xx answers and prints the total at the end in a line run.py reads.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = args
  n = 0
  errors = 0
end

function request()
  n = n % #paths + 1
  return wrk.format("GET", paths[n])
end

function response(status, headers, body)
  if status >= 500 then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("errors")
  end
  io.write(string.format("FAULTS 5xx=%d\n", total))
end
