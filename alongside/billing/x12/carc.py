"""What common adjustment codes on an 835 mean, in plain words for the billing clerk.

A CAS segment pairs a group code (who carries the amount) with a Claim Adjustment Reason Code
(why the payment differs from the charge). X12 maintains the reason codes and publishes the
full list at https://x12.org/codes/claim-adjustment-reason-codes; CMS lists the same codes at
https://bluebutton.cms.gov/fhir/CodeSystem/ANSI-RSN-CD/ and the group codes are explained at
https://www.wpc-edi.com/custom_html/carc_more.htm (checked 2026-12-07). The wording below is
ours, shortened for a work queue; the list is the codes a peer-services biller meets most, not
all of them. A payer's remark codes (RARC, in LQ segments) often say more and are not read here.
"""

from __future__ import annotations

GROUPS: dict[str, str] = {
    "CO": "Contractual obligation: written off under the contract or a rule; the person owes none",
    "PR": "Patient responsibility: the person may owe this amount",
    "OA": "Other adjustment: none of the other groups applies",
    "PI": "Payer-initiated reduction: the payer reduced it; not the person's to pay",
    "CR": "Correction or reversal of a claim the payer decided before",
}

REASONS: dict[str, str] = {
    "1": "Deductible: the person's deductible covers this amount",
    "2": "Coinsurance: the person's share of the cost",
    "3": "Co-payment: the person's co-payment",
    "4": "The procedure code does not fit the modifier, or a required modifier is missing",
    "5": "The procedure does not fit the place of service",
    "8": "The procedure does not fit the provider's type or specialty (taxonomy)",
    "11": "The diagnosis does not fit the procedure",
    "15": "The authorization number is missing, invalid, or not for this service or provider",
    "16": "Information needed to decide the claim is missing or wrong; the remark codes say what",
    "18": "A duplicate of a claim or service the payer already has",
    "22": "Another payer may cover this (coordination of benefits)",
    "23": "Adjusted for what an earlier payer paid or adjusted",
    "26": "The service was before the person's coverage began",
    "27": "The service was after the person's coverage ended",
    "29": "Filed too late: the time limit for filing had passed",
    "31": "The payer cannot identify the person as its member",
    "45": "The charge is more than the fee schedule or contracted amount",
    "50": "The payer does not consider the service medically necessary",
    "96": "Not covered; a remark code says why",
    "97": "Paid as part of another service the payer already decided",
    "109": "Not covered by this payer: send the claim to the right payer",
    "119": "The benefit limit for this period or occurrence has been reached",
    "140": "The member id and the name do not match",
    "151": "The record does not support this many services or this frequency",
    "167": "The diagnosis is not covered",
    "170": "Not paid when this type of provider performs or bills it",
    "177": "The person does not meet the eligibility requirements",
    "185": "The rendering provider is not eligible to perform the service billed",
    "197": "Prior authorization, certification or notification was missing",
    "198": "More than the authorization allowed",
    "200": "The service was during a lapse in coverage",
    "204": "Not covered under the person's current benefit plan",
    "242": "Not provided by a network or primary care provider",
    "252": "An attachment or other documentation is needed to decide",
    "B7": "The provider was not certified or eligible to be paid for this service on that date",
}


def meaning(code: str) -> str:
    """Plain words for a reason code (``"29"``) or a group code (``"CO"``)."""
    code = code.strip().upper()
    return REASONS.get(code) or GROUPS.get(code) or f"Code {code} (no description here)"
