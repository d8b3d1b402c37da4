-- The writes of bench/run.py: each wrk thread is one logged-in resident on one connection, who
-- supports a contribution, then withdraws that support, then picks another, and so on.
-- BENCH_WRITES names a file: the contribution ids on the first line, then one line per
-- resident, "cookie<TAB>form token".
local residents, ids, next_resident, threads = {}, {}, 0, {}

local function read_plan()
  local file = assert(io.open(os.getenv("BENCH_WRITES")))
  for id in string.gmatch(file:read("*l"), "%d+") do ids[#ids + 1] = id end
  for line in file:lines() do
    local cookie, token = string.match(line, "^(.-)\t(.*)$")
    residents[#residents + 1] = { cookie = cookie, token = token }
  end
  file:close()
end

function setup(thread)
  if #residents == 0 then read_plan() end
  next_resident = next_resident + 1
  local resident = residents[next_resident]
  thread:set("cookie", resident.cookie)
  thread:set("token", resident.token)
  thread:set("plan_ids", table.concat(ids, " "))
  thread:set("seed", next_resident)
  thread:set("refused", "")
  threads[#threads + 1] = thread
end

local targets, step, target = {}, 0, nil

function init(args)
  for id in string.gmatch(plan_ids, "%d+") do targets[#targets + 1] = id end
  math.randomseed(seed)
end

function request()
  step = step + 1
  local action = "retirer-soutien"
  if step % 2 == 1 then
    target = targets[math.random(#targets)]
    action = "soutenir"
  end
  return wrk.format("POST", "/contributions/" .. target .. "/" .. action,
                    { ["Cookie"] = cookie,
                      ["Content-Type"] = "application/x-www-form-urlencoded" },
                    "csrf_token=" .. token)
end

-- A refused write is printed with its status and the title of the page that answered, so the
-- runner can say why.
function response(status, headers, body)
  if status >= 400 then
    local title = string.match(body or "", "<title>(.-)</title>") or ""
    refused = refused .. " " .. status .. ":" .. title
  end
end

done = function(summary, latency, requests)
  io.write(string.format("PCT %d %d %d\n", latency:percentile(50), latency:percentile(95),
                         latency:percentile(99)))
  for _, thread in ipairs(threads) do
    local refused = thread:get("refused")
    if refused ~= "" then io.write("REFUSED" .. refused .. "\n") end
  end
end
