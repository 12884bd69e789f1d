-- wrk clients for `make bench`'s API load test (run by earlyhelp.demo.bench_api).
--
--   wrk -s bench_api.lua ... -- submit|status <requests a second, all threads> <threads>
--
-- "submit" sends new notifications, each with a fresh Idempotency-Key, and after every
-- 20th the same one again with the same key (a client's retry: it must not make a second
-- notification); the rate given counts both. "status" reads the progress of notifications
-- already sent.
--
-- Requests are paced, not sent flat out: each thread gives its connections send times
-- spaced evenly at its share of the rate, so the server is offered that rate while it
-- keeps up, and as much as the connections can carry when it does not.
--
-- Files (environment): BENCH_TOKENS_FILE (a token a line, one picked at random each
-- request), BENCH_POSTCODES_FILE (submit), BENCH_READ_FILE (status: references to read),
-- BENCH_OUT (where done() writes its figures as JSON, and the references of the accepted
-- submissions, a line each, to BENCH_OUT .. ".references").

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } eh_timespec;
int clock_gettime(int clock, eh_timespec *now);
]])
local CLOCK_MONOTONIC = 1
local clock = ffi.new("eh_timespec")

local RETRY_EVERY = 20 -- after every 20th new submission, that one again
local GIVEN = { "Amelia", "Oliver", "Isla", "Noah", "Ava", "Leo", "Mia", "Arthur", "Freya", "Theo" }
local FAMILY = { "Testwood", "Samplefield", "Fakenham", "Mockridge", "Demoby", "Synthson" }
local SEXES = { "F", "M", "U" }

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local function lines(path)
  local found = {}
  if path then
    for line in io.lines(path) do
      if line ~= "" then
        found[#found + 1] = line
      end
    end
  end
  return found
end

local function pick(list)
  return list[math.random(#list)]
end

-- setup() and done() run in wrk's main thread; the rest in each thread's own state.

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("number", #threads)
end

function init(args)
  mode = args[1]
  interval = 1000 * tonumber(args[3]) / tonumber(args[2])
  math.randomseed(number * 7919 + os.time())
  tokens = lines(os.getenv("BENCH_TOKENS_FILE"))
  postcodes = lines(os.getenv("BENCH_POSTCODES_FILE"))
  to_read = lines(os.getenv("BENCH_READ_FILE"))
  next_send = now_ms()
  sent, retried, created, replayed, answered, failed, late = 0, 0, 0, 0, 0, 0, 0
  references, failures = {}, {}
end

function delay()
  local now = now_ms()
  next_send = next_send + interval
  if next_send < now - interval then
    -- Every connection was busy at this send's time: it goes out late, and the wait for
    -- a free connection is not in its latency. Counted, so that the report can say so.
    late = late + 1
    next_send = now
  end
  return next_send - now
end

local function uuid4()
  return string.format(
    "%08x-%04x-4%03x-%04x-%012x",
    math.random(0, 0xffffffff),
    math.random(0, 0xffff),
    math.random(0, 0xfff),
    0x8000 + math.random(0, 0x3fff),
    math.random(0, 0xffffff) * 0x1000000 + math.random(0, 0xffffff)
  )
end

local function born()
  -- 1 to 17 years before 31 March 2018 (the demo county's today), as an ISO date
  local days = math.random(365, 17 * 365)
  local when = os.time({ year = 2018, month = 3, day = 31, hour = 12 }) - days * 86400
  return os.date("!%Y-%m-%d", when)
end

local function answers()
  return string.format(
    '{"child_given_name": "%s", "child_family_name": "%s", "child_date_of_birth": "%s", '
      .. '"child_sex": "%s", "address_line_1": "%d Example Road", "town": "Exampleton", '
      .. '"postcode": "%s", "concerns": "Attendance has fallen this term and the family '
      .. 'asked for support.", "what_has_been_tried": "Meetings at school.", '
      .. '"family_consent": true, "referrer_name": "Load Test", "referrer_organisation": '
      .. '"Bench Academy", "referrer_email": "load.test@example.org", "source": "SCHOOL"}',
    pick(GIVEN),
    pick(FAMILY),
    born(),
    pick(SEXES),
    math.random(1, 200),
    pick(postcodes)
  )
end

local last_body, last_key

function request()
  local auth = "Token " .. pick(tokens)
  if mode == "status" then
    return wrk.format("GET", "/api/v1/notifications/" .. pick(to_read) .. "/", { Authorization = auth })
  end
  local body, key
  if last_body and sent % RETRY_EVERY == 0 then
    body, key, last_body = last_body, last_key, nil
    retried = retried + 1
  else
    body, key = answers(), uuid4()
    last_body, last_key = body, key
    sent = sent + 1
  end
  local headers = { Authorization = auth, ["Content-Type"] = "application/json", ["Idempotency-Key"] = key }
  return wrk.format("POST", "/api/v1/notifications/", headers, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
    references[#references + 1] = body:match('"reference"%s*:%s*"([^"]+)"')
  elseif status == 200 then
    if mode == "status" then
      answered = answered + 1
    else
      replayed = replayed + 1
    end
  else
    failed = failed + 1
    if #failures < 5 then
      failures[#failures + 1] = status .. ": " .. body:sub(1, 200)
    end
  end
end

local function quoted(text)
  return '"' .. text:gsub('[%c"\\]', function(c)
    return string.format("\\u%04x", c:byte())
  end) .. '"'
end

function done(summary, latency, requests)
  local totals = { sent = 0, retried = 0, created = 0, replayed = 0, answered = 0, failed = 0, late = 0 }
  local failures, references = {}, {}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
    for _, failure in ipairs(thread:get("failures")) do
      failures[#failures + 1] = quoted(failure)
    end
    for _, reference in ipairs(thread:get("references")) do
      references[#references + 1] = reference
    end
  end
  local errors = summary.errors
  local out = io.open(os.getenv("BENCH_OUT"), "w")
  out:write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.1f, "p95_ms": %.1f, "p99_ms": %.1f, '
      .. '"max_ms": %.1f, "sent": %d, "retried": %d, "created": %d, "replayed": %d, '
      .. '"answered": %d, "failed": %d, "late": %d, "socket_errors": %d, "failures": [%s]}',
    summary.requests,
    summary.duration / 1e6,
    latency:percentile(50) / 1000,
    latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    latency.max / 1000,
    totals.sent,
    totals.retried,
    totals.created,
    totals.replayed,
    totals.answered,
    totals.failed,
    totals.late,
    errors.connect + errors.read + errors.write + errors.timeout,
    table.concat(failures, ", ")
  ))
  out:close()
  local refs = io.open(os.getenv("BENCH_OUT") .. ".references", "w")
  refs:write(table.concat(references, "\n"))
  refs:close()
end
