-- Prints one JSON line of figures when wrk is done; `make bench` reads it.
-- Arguments after `--` are paths requested in turn (each thread starts at its own one).
local paths = {}
local next_index = 1

function init(args)
  for _, path in ipairs(args) do
    paths[#paths + 1] = path
  end
end

function request()
  if #paths == 0 then
    return wrk.format(nil)
  end
  local path = paths[next_index]
  next_index = next_index % #paths + 1
  return wrk.format(nil, path)
end

-- done(): the JSON line of figures bench/run.py reads (wrk runs from the repository root).
dofile("bench/figures.lua")
