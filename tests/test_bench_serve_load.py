"""The wrk output parser of bench/serve_load.py (`make bench`), on captured `wrk --latency`
output (Debian's wrk 4.1.0, against nginx and two deliberately bad servers): a clean
run, 404s, failed requests and socket errors, latencies in seconds. No server and no
wrk needed."""

from __future__ import annotations

import pytest

from bench.serve_load import parse_wrk

CLEAN = """\
Running 2s test @ http://127.0.0.1:18250/index.html
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.98ms    7.83ms  61.66ms   95.58%
    Req/Sec    10.62k     2.87k   13.29k    88.10%
  Latency Distribution
     50%    1.27ms
     75%    1.72ms
     90%    2.47ms
     99%   49.86ms
  44500 requests in 2.14s, 10.06MB read
Requests/sec:  20791.05
Transfer/sec:      4.70MB
"""

# Every answer a 404.
NOT_FOUND = """\
Running 1s test @ http://127.0.0.1:18250/nosuch
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.35ms    6.64ms  52.79ms   94.18%
    Req/Sec    10.58k     4.30k   16.59k    50.00%
  Latency Distribution
     50%  169.00us
     75%    1.41ms
     90%    4.57ms
     99%   38.18ms
  10595 requests in 1.01s, 3.11MB read
  Non-2xx or 3xx responses: 10595
Requests/sec:  10489.48
Transfer/sec:      3.08MB
"""

# A server that answered 500 to some requests and closed the connection on others.
FAILING = """\
Running 3s test @ http://127.0.0.1:18251/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.78ms    6.32ms  39.10ms   94.08%
    Req/Sec     2.45k     1.77k    5.84k    66.67%
  Latency Distribution
     50%   36.00us
     75%  121.00us
     90%    1.96ms
     99%   32.98ms
  1469 requests in 3.01s, 70.78KB read
  Socket errors: connect 0, read 165, write 0, timeout 0
  Non-2xx or 3xx responses: 490
Requests/sec:    488.62
Transfer/sec:     23.54KB
"""

# A slow server: latencies in seconds (wrk pads them with a space), and timeouts.
SLOW = """\
Running 5s test @ http://127.0.0.1:18252/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.20s   416.11us   1.20s    80.95%
    Req/Sec     6.87      7.69    20.00     80.00%
  Latency Distribution
     50%    1.20s\x20
     75%    1.20s\x20
     90%    1.20s\x20
     99%    1.20s\x20
  26 requests in 5.01s, 1.09KB read
  Socket errors: connect 0, read 0, write 0, timeout 5
Requests/sec:      5.19
Transfer/sec:     223.28B
"""


def test_clean_run() -> None:
    result = parse_wrk(CLEAN)
    assert result.requests == 44500
    assert result.seconds == pytest.approx(2.14)
    assert result.rps == pytest.approx(20791.05)
    assert result.p50_ms == pytest.approx(1.27)
    assert result.p99_ms == pytest.approx(49.86)
    assert result.errors == 0
    assert result.describe_errors() == "none"


def test_non_2xx_responses_are_errors() -> None:
    result = parse_wrk(NOT_FOUND)
    assert result.rps == pytest.approx(10489.48)
    assert result.p50_ms == pytest.approx(0.169)  # 169.00us
    assert result.non_2xx_3xx == 10595
    assert result.socket == {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    assert result.errors == 10595


def test_failed_requests_and_socket_errors_count_as_errors() -> None:
    result = parse_wrk(FAILING)
    assert result.rps == pytest.approx(488.62)
    assert result.p50_ms == pytest.approx(0.036)
    assert result.p99_ms == pytest.approx(32.98)
    assert result.non_2xx_3xx == 490
    assert result.socket == {"connect": 0, "read": 165, "write": 0, "timeout": 0}
    assert result.errors == 655
    assert result.describe_errors() == "490 non-2xx/3xx, 165 read"


def test_latencies_in_seconds_and_timeouts() -> None:
    result = parse_wrk(SLOW)
    assert result.requests == 26
    assert result.seconds == pytest.approx(5.01)
    assert result.p50_ms == pytest.approx(1200.0)
    assert result.p99_ms == pytest.approx(1200.0)
    assert result.socket == {"connect": 0, "read": 0, "write": 0, "timeout": 5}
    assert result.errors == 5


def test_each_socket_error_is_read_from_its_place() -> None:
    # The captures above are real; this line is edited so that every count differs.
    text = SLOW.replace(
        "connect 0, read 0, write 0, timeout 5", "connect 2, read 3, write 4, timeout 5"
    )
    result = parse_wrk(text)
    assert result.socket == {"connect": 2, "read": 3, "write": 4, "timeout": 5}
    assert result.errors == 14
    assert result.describe_errors() == "2 connect, 3 read, 4 write, 5 timeout"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "unable to connect to 127.0.0.1:18200 Connection refused\n",
        CLEAN.replace("Requests/sec", "Requests per second"),  # a format we do not know
        CLEAN.replace("  Latency Distribution\n", "").replace("     99%   49.86ms\n", ""),
    ],
)
def test_output_without_the_figures_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="wrk --latency"):
        parse_wrk(text)
