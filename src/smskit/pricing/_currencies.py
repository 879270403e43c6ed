"""Data: ISO 4217 active currency codes and their minor units (decimal places).

Source: ISO 4217 "List one: currency, fund and precious metal codes", published by
the maintenance agency (SIX Group), https://www.six-group.com/en/products-services/
financial-information/data-standards.html (list as amended through 2024, with Amendment
176 of 6 December 2023: XCG, the Caribbean guilder of Curaçao and Sint Maarten, from
31 March 2025; ANG, which it replaced, is kept for older cards). Fund codes,
precious metals and testing codes (XAU, XTS, XXX...) are left out: nobody prices a
text message in gold. Written out by hand from that list; update it as a data change.
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = ["CURRENCY_MINOR_UNITS", "ISO4217_SOURCE"]

ISO4217_SOURCE = (
    "https://www.six-group.com/en/products-services/financial-information/data-standards.html"
)


def _codes(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_TWO_DECIMALS = _codes(
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN "
    "BZD CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS "
    "GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR "
    "LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD "
    "PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN "
    "SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VED VES WST XCD XCG YER ZAR "
    "ZMW ZWG"
)
_ZERO_DECIMALS = _codes("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF")
_THREE_DECIMALS = _codes("BHD IQD JOD KWD LYD OMR TND")
_FOUR_DECIMALS = _codes("CLF UYW")

#: Every active ISO 4217 currency code -> number of minor-unit digits.
CURRENCY_MINOR_UNITS = MappingProxyType(
    dict.fromkeys(_TWO_DECIMALS, 2)
    | dict.fromkeys(_ZERO_DECIMALS, 0)
    | dict.fromkeys(_THREE_DECIMALS, 3)
    | dict.fromkeys(_FOUR_DECIMALS, 4)
)
