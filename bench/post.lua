-- wrk script: post the membership form, a new city and a fresh signed form token each time.
-- args: tokens file, country id, csrf secret, origin, run id (city names differ between runs:
-- a name posted by an earlier run on the same database is an open application already)
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local tokens = {}
local counter = 0
local country, csrf, origin, run

function init(args)
  for line in io.lines(args[1]) do
    tokens[#tokens + 1] = line
  end
  country, csrf, origin, run = args[2], args[3], args[4], args[5]
end

function request()
  counter = counter + 1
  local n = counter * 4 + (tid or 1)
  local token = tokens[n % #tokens + 1]
  local body = "csrfmiddlewaretoken=" .. csrf
    .. "&city_name=Bench+applicant+" .. run .. "-" .. (tid or 1) .. "-" .. counter
    .. "&country=" .. country
    .. "&mayor_name=A+Mayor&contact_name=A+Contact&contact_position=Head+of+relations"
    .. "&contact_email=apply" .. run .. "-" .. (tid or 1) .. "-" .. counter .. "%40bench.example"
    .. "&contact_phone=%2B90+212+455+1300&website=https%3A%2F%2Fapply.example"
    .. "&population=12000&motivation=We+want+to+join.&consent=on&homepage="
    .. "&form_token=" .. token
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. csrf,
    ["Origin"] = origin,
    -- wrk.format replaces the -H headers: the proxy's https mark must be given again
    ["X-Forwarded-Proto"] = "https",
  }, body)
end
