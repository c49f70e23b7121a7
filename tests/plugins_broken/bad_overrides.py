"""Overrides naming an unknown indicator, an unknown parameter, a non-code unit."""

import vetservice as vs
from vetservice.indicators import Override


@vs.hookimpl
def vetservice_register_overrides():
    return [
        Override("staff.township_fultime", "610602000000", {"min_fulltime": 3}),
        Override("staff.township_fulltime", "610602000000", {"min_full_time": 3}),
        Override("staff.township_fulltime", "宝塔区", {"min_fulltime": 3}),
    ]
