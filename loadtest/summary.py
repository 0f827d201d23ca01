"""Print the load test's figures from Locust's CSV: requests/s, p95 and errors, per request
and in total. Exit 1 when any request failed."""
import csv
import sys


def main(path: str) -> int:
    with open(path, newline="") as stream:
        rows = list(csv.DictReader(stream))
    print(f"{'request':32} {'requests':>9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'errors':>7}")
    for row in rows:
        name = "TOTAL" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        print(f"{name:32} {row['Request Count']:>9} {float(row['Requests/s']):>7.1f} "
              f"{row['50%']:>7} {row['95%']:>7} {row['Failure Count']:>7}")
    total = next(row for row in rows if row["Name"] == "Aggregated")
    print(f"\nrequests/s {float(total['Requests/s']):.1f}, p95 {total['95%']} ms, "
          f"errors {total['Failure Count']} of {total['Request Count']} requests")
    return 1 if int(total["Failure Count"]) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
