-- Candidates applying to one offer: each request a new candidate (e-mail and submission key)
-- with the same PDF CV and letter. Arguments: path, CSRF token, privacy-notice digest, CV file,
-- letter file. The CSRF cookie comes with -H. Prints the same JSON line as report.lua.
local path, csrf_token, notice_digest, cv, letter
local boundary = "----jobboard-bench-boundary"
local counter = 0
local threads_started = 0

function setup(thread)
  threads_started = threads_started + 1
  thread:set("thread_id", threads_started)
end

local function read(name)
  local file = assert(io.open(name, "rb"))
  local content = file:read("*a")
  file:close()
  return content
end

local function field(name, value)
  return "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. name .. "\"\r\n\r\n" .. value .. "\r\n"
end

local function file_field(name, filename, content)
  return "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. name .. "\"; filename=\"" .. filename
    .. "\"\r\nContent-Type: application/pdf\r\n\r\n" .. content .. "\r\n"
end

function init(args)
  path, csrf_token, notice_digest = args[1], args[2], args[3]
  cv, letter = read(args[4]), read(args[5])
  -- thread_id is set by setup() in each thread's own state.
  math.randomseed(os.time() + (thread_id or 0) * 7919)
end

function request()
  counter = counter + 1
  local key = string.format("%08x-%04x-4%03x-a%03x-%012x", math.random(0, 0xffffffff), math.random(0, 0xffff),
    math.random(0, 0xfff), math.random(0, 0xfff), math.random(0, 0xffffffffffff))
  local body = field("csrfmiddlewaretoken", csrf_token)
    .. field("first_name", "Camille")
    .. field("last_name", "Bench")
    .. field("email", string.format("apply-%s@load.example.org", key))
    .. field("consents_to_political_data", "on")
    .. field("submission_key", key)
    .. field("notice_digest", notice_digest)
    .. file_field("cv", "cv.pdf", cv)
    .. file_field("letter", "letter.pdf", letter)
    .. "--" .. boundary .. "--\r\n"
  -- wrk.headers holds Host and the -H headers (the CSRF cookie): keep them.
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
  return wrk.format("POST", path, headers, body)
end

-- done(): the JSON line of figures bench/run.py reads (wrk runs from the repository root).
dofile("bench/figures.lua")
