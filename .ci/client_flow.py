"""The generated Python client against a running server: what a procurement tool does.

Run by .ci/client.sh with the generated package on PYTHONPATH, BASE_URL and TOKEN in the
environment. Lists vendors, looks one up, files an intake request and reads it back, assesses a
transfer, creates a vendor and updates it with If-Match (then shows a stale If-Match is a 412).
Exits non-zero at the first answer that is not the one expected.
"""

import os
import sys

from crossborder_api_client import AuthenticatedClient
from crossborder_api_client.api.assess import assess
from crossborder_api_client.api.intake import create_intake, intake
from crossborder_api_client.api.registry import create_vendor, lookup, update_vendor, vendors
from crossborder_api_client.models import AssessIn, IntakeIn, VendorIn


def expect(response, status, what):
    if response.status_code != status:
        sys.exit(f"{what}: expected {status}, got {response.status_code}: {response.content!r}")
    print(f"ok {status} {what}")
    return response.parsed


client = AuthenticatedClient(base_url=os.environ["BASE_URL"], token=os.environ["TOKEN"])

page = expect(vendors.sync_detailed(org="arturia", client=client, limit=5), 200, "list vendors")
assert 0 < len(page.data) <= 5, page
assert page.data[0].role.value in {"processor", "sub_processor", "independent_controller", "joint_controller"}

found = expect(lookup.sync_detailed(org="arturia", client=client, domain="google.com"), 200, "look up")
assert found.known and found.matches[0].key == "google-analytics", found

filed = expect(
    create_intake.sync_detailed(
        client=client,
        body=IntakeIn.from_dict({
            "organisation": "arturia",
            "vendor_name": "Generated Client Ltd",
            "website": "https://client.example.com",
            "purpose": "Testing the generated client",
            "countries": ["US"],
            "data_categories": ["usage"],
            "requester": "ci",
        }),
    ),
    201,
    "file an intake request",
)
status = expect(intake.sync_detailed(id=filed.id, client=client), 200, "read the request back")
assert status.status.value == "pending", status

verdict = expect(
    assess.sync_detailed(
        client=client,
        body=AssessIn.from_dict({
            "exporter": "FR",
            "importer": "US",
            "mechanisms": [{"id": "scc_2021", "signed_on": "2022-01-01"}],
            "as_of": "2024-01-01",
        }),
    ),
    200,
    "assess a transfer",
)
assert verdict.verdict.value == "safeguarded", verdict

vendor = {
    "key": "generated-client",
    "name": "Generated Client",
    "role": "processor",
    "categories": ["hosting"],
    "purpose": "Hosting, written by the generated client.",
    "status": "proposed",
    "transfers": [{"country": "US", "data_categories": ["usage"], "mechanisms": []}],
}
created = create_vendor.sync_detailed(org="arturia", client=client, body=VendorIn.from_dict(vendor))
expect(created, 201, "create a vendor")
etag = created.headers["etag"]
del vendor["transfers"]
vendor["name"] = "Generated Client, renamed"
updated = update_vendor.sync_detailed(
    org="arturia", key="generated-client", client=client, body=VendorIn.from_dict(vendor), if_match=etag
)
expect(updated, 200, "update it with If-Match")
assert updated.parsed.name == "Generated Client, renamed", updated.parsed
stale = update_vendor.sync_detailed(
    org="arturia", key="generated-client", client=client, body=VendorIn.from_dict(vendor), if_match=etag
)
expect(stale, 412, "a stale If-Match is refused")
print("the generated client's flow passed")
