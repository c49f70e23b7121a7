"""The 25 record kinds of ``docs/records.md`` as frozen attrs classes.

Each field carries its contract in ``metadata``: the Chinese header, the
value type, whether it is required, and whether a date may lie in the future.
:data:`KINDS` lists the kinds in dependency order (units first), with their
natural keys and the references every row must resolve on import.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any

import attrs

from vetservice.domain import enums as E
from vetservice.domain.identity import birth_date_of, is_male
from vetservice.domain.personal import Personal
from vetservice.domain.values import (
    BOOL,
    CODE,
    DATE,
    ID_NUMBER,
    INT,
    MONEY,
    MONTH,
    NAME,
    PHONE,
    TEXT,
    TITLE,
    ValueType,
    enum_type,
    list_type,
)
from vetservice.errors import ValidationError
from vetservice.i18n import N_, Bilingual


class FieldError(ValidationError):
    """A record-level rule broken by one field's value."""

    def __init__(self, field: str, message: str, **params: Any) -> None:
        super().__init__(message, **params)
        self.field = field


# Headers clerks write for the fields that recur across kinds (besides the
# contract's own header and the English field name).
ID_NUMBER_ALIASES = (
    "身份证号码",
    "公民身份号码",
    "公民身份证号",
    "公民身份证号码",
    "居民身份证号",
    "居民身份证号码",
    "身份证",
    "证件号码",
)
PHONE_ALIASES = ("电话", "电话号码", "手机", "手机号", "手机号码", "联系方式")
UNIT_CODE_ALIASES = ("行政区划代码", "统计用区划代码", "区划编码")
# Where a person lives: only headers that say "code"; a column 所属村（社区）
# holds the village's name, which is no code.
VILLAGE_CODE_ALIASES = (
    "村社区代码",
    "村（社区）代码",
    "现居村（社区）代码",
    "所属村（社区）代码",
    "所属村社区代码",
    "区划代码",
    *UNIT_CODE_ALIASES,
)
NAME_ALIASES = ("名字",)


def column(
    zh: str,
    value_type: ValueType,
    *,
    required: bool = False,
    future: bool = False,
    doc: str = "",
    aliases: tuple[str, ...] = (),
    personal: Personal | None = None,
) -> Any:
    """A record field with its contract: Chinese header, type, required.

    ``personal`` declares the field personal data (a name, an address, a bank
    account, health data): every output masks it unless ``show_pii``. Id
    numbers and phones are personal by their value type.

    ``future`` allows a date after today (an end or expiry date); event dates
    may not lie in the future. ``aliases`` are the other headers clerks write
    for the field (身份证号码 for 身份证号); two spellings follow from the
    header itself: 是否党员 for a yes/no 党员, 退役时间 for a date 退役日期.
    """
    metadata = {
        "zh": zh,
        "type": value_type,
        "required": required,
        "future": future,
        "doc": doc,
        "aliases": _with_derived(zh, value_type, aliases),
        "personal": personal or _PERSONAL_TYPES.get(value_type.name),
    }
    if required:
        return attrs.field(metadata=metadata)
    return attrs.field(default=None, metadata=metadata)


# Value types that are personal data wherever they are used.
_PERSONAL_TYPES = {"id_number": Personal.ID_NUMBER, "phone": Personal.PHONE}


def _with_derived(
    zh: str, value_type: ValueType, aliases: tuple[str, ...]
) -> tuple[str, ...]:
    """The declared aliases and the two spellings every such header has."""
    derived = []
    if "（" not in zh:
        if value_type.name == "bool" and not zh.startswith("是否"):
            derived.append(f"是否{zh}")
        if value_type.name == "date" and zh.endswith("日期"):
            derived.append(f"{zh[:-2]}时间")
    return tuple(dict.fromkeys(a for a in (*aliases, *derived) if a != zh))


# 生效日期: the state ledgers keep their versions (docs/records.md, 台账的历史).
VALID_FROM = "valid_from"


def valid_from_column() -> Any:
    """The date a state record's values took effect; empty on a record's
    first version means "always so", on a change the day it is imported."""
    return column(
        "生效日期",
        DATE,
        aliases=("变更日期", "变动日期"),
    )


def field_name(cls: type, name: str) -> Bilingual:
    """A field's name as a reader sees it: its Chinese header or English name."""
    return Bilingual(attrs.fields_dict(cls)[name].metadata["zh"], name)


def _not_before(record: Any, later: str, earlier: str) -> None:
    end, start = getattr(record, later), getattr(record, earlier)
    if end is not None and start is not None and end < start:
        raise FieldError(
            later,
            N_("{later} ({end}) is before {earlier} ({start})"),
            later=field_name(type(record), later),
            end=end.isoformat(),
            earlier=field_name(type(record), earlier),
            start=start.isoformat(),
        )


@attrs.frozen(kw_only=True)
class Unit:
    code: str = column("区划代码", CODE, required=True, aliases=UNIT_CODE_ALIASES)
    name: str = column("名称", TITLE, required=True, aliases=("单位名称", "区划名称"))
    level: E.Level = column(
        "层级", enum_type(E.Level), required=True, aliases=("级别",)
    )
    parent_code: str | None = column(
        "上级代码", CODE, aliases=("上级区划代码", "上级单位代码")
    )
    kind: E.UnitKind | None = column("类别", enum_type(E.UnitKind))

    def __attrs_post_init__(self) -> None:
        if self.kind is not None and E.KIND_LEVEL[self.kind] is not self.level:
            raise FieldError(
                "kind",
                N_("kind {kind} does not belong at level {level}"),
                kind=self.kind,
                level=self.level,
            )
        if self.parent_code == self.code:
            raise FieldError("parent_code", N_("a unit cannot be its own parent"))


@attrs.frozen(kw_only=True)
class Station:
    unit_code: str = column("区划代码", CODE, required=True, aliases=UNIT_CODE_ALIASES)
    established_on: dt.date | None = column("建成日期", DATE)
    dedicated_space: bool | None = column("独立场所", BOOL)
    posts: int | None = column("编制数", INT)
    has_organization: bool | None = column("有机构", BOOL)
    has_posts: bool | None = column("有编制", BOOL)
    has_staff: bool | None = column("有人员", BOOL)
    has_funding: bool | None = column("有经费", BOOL)
    has_support: bool | None = column("有保障", BOOL)
    model: E.StationModel | None = column("示范创建", enum_type(E.StationModel))
    valid_from: dt.date | None = valid_from_column()


# The 13 elements of the 政治文化环境建设规范, in the order of the seed speech.
ENVIRONMENT_ELEMENTS: dict[str, str] = {
    "remarks": "重要论述（习近平总书记关于退役军人工作的重要论述、强军思想及图片）",
    "organization": "组织领导机构和工作人员",
    "duties": "工作职责",
    "rules": "工作制度",
    "service_norms": "服务规范",
    "hero_portraits": "十位英模画像",
    "theory_books": "政治理论学习书籍",
    "military_culture": "军旅题材优秀文化作品",
    "ledgers": "工作台账资料",
    "activity_photos": "工作活动剪影",
    "slogans": "军队标语口号",
    "four_most_beautiful": "“四个最美”和老兵风采",
    "local_column": "本单位特色栏目",
}


@attrs.frozen(kw_only=True)
class Inspection:
    unit_code: str = column("区划代码", CODE, required=True, aliases=UNIT_CODE_ALIASES)
    checked_on: dt.date = column("检查日期", DATE, required=True)
    remarks: bool = column(ENVIRONMENT_ELEMENTS["remarks"], BOOL, required=True)
    organization: bool = column(
        ENVIRONMENT_ELEMENTS["organization"], BOOL, required=True
    )
    duties: bool = column(ENVIRONMENT_ELEMENTS["duties"], BOOL, required=True)
    rules: bool = column(ENVIRONMENT_ELEMENTS["rules"], BOOL, required=True)
    service_norms: bool = column(
        ENVIRONMENT_ELEMENTS["service_norms"], BOOL, required=True
    )
    hero_portraits: bool = column(
        ENVIRONMENT_ELEMENTS["hero_portraits"], BOOL, required=True
    )
    theory_books: bool = column(
        ENVIRONMENT_ELEMENTS["theory_books"], BOOL, required=True
    )
    military_culture: bool = column(
        ENVIRONMENT_ELEMENTS["military_culture"], BOOL, required=True
    )
    ledgers: bool = column(ENVIRONMENT_ELEMENTS["ledgers"], BOOL, required=True)
    activity_photos: bool = column(
        ENVIRONMENT_ELEMENTS["activity_photos"], BOOL, required=True
    )
    slogans: bool = column(ENVIRONMENT_ELEMENTS["slogans"], BOOL, required=True)
    four_most_beautiful: bool = column(
        ENVIRONMENT_ELEMENTS["four_most_beautiful"], BOOL, required=True
    )
    local_column: bool = column(
        ENVIRONMENT_ELEMENTS["local_column"], BOOL, required=True
    )
    note: str | None = column("备注", TEXT)


@attrs.frozen(kw_only=True)
class StaffMember:
    person_id: str = column("人员编号", NAME, required=True)
    unit_code: str = column("区划代码", CODE, required=True, aliases=UNIT_CODE_ALIASES)
    name: str = column(
        "姓名", NAME, required=True, aliases=NAME_ALIASES, personal=Personal.NAME
    )
    role: E.StaffRole = column("角色", enum_type(E.StaffRole), required=True)
    full_time: bool | None = column("专职", BOOL)
    other_duties: bool | None = column("兼做其他工作", BOOL)
    military_experience: bool | None = column("有当兵经历", BOOL)
    group_role: E.GroupRole | None = column("小组职务", enum_type(E.GroupRole))
    started_on: dt.date | None = column("起始日期", DATE, aliases=("开始日期",))
    ended_on: dt.date | None = column(
        "终止日期", DATE, future=True, aliases=("结束日期",)
    )
    valid_from: dt.date | None = valid_from_column()

    def __attrs_post_init__(self) -> None:
        _not_before(self, "ended_on", "started_on")


@attrs.frozen(kw_only=True)
class GuidanceVisit:
    staff_person_id: str = column("人员编号", NAME, required=True)
    unit_code: str = column(
        "村社区代码", CODE, required=True, aliases=("村（社区）代码", "区划代码")
    )
    visited_on: dt.date = column("日期", DATE, required=True, aliases=("指导日期",))
    note: str | None = column("备注", TEXT)


@attrs.frozen(kw_only=True)
class Veteran:
    id_number: str = column(
        "身份证号", ID_NUMBER, required=True, aliases=ID_NUMBER_ALIASES
    )
    name: str = column(
        "姓名",
        NAME,
        required=True,
        aliases=(*NAME_ALIASES, "退役军人姓名"),
        personal=Personal.NAME,
    )
    gender: E.Gender | None = column("性别", enum_type(E.Gender))
    birth_date: dt.date | None = column(
        "出生日期", DATE, aliases=("出生年月日", "生日")
    )
    unit_code: str = column(
        "现居村社区代码", CODE, required=True, aliases=VILLAGE_CODE_ALIASES
    )
    category: E.VeteranCategory | None = column(
        "退役类别", enum_type(E.VeteranCategory), aliases=("退役军人类别", "人员类别")
    )
    discharged_on: dt.date | None = column(
        "退役日期", DATE, aliases=("退伍日期", "退伍时间")
    )
    party_member: bool | None = column("党员", BOOL)
    branch_enrolled: bool | None = column("编入党支部", BOOL)
    key_attention: bool | None = column("重点关注", BOOL)
    in_volunteer_team: bool | None = column("参加志愿服务队", BOOL)
    contact_person_id: str | None = column("联系人编号", NAME)
    # One plaque per family (光荣牌悬挂工作实施办法): veterans of one village
    # with the same 户编号 are one household; without it, a household alone.
    household_id: str | None = column(
        "户编号", NAME, aliases=("家庭户编号", "户号", "家庭编号")
    )
    plaque_approved_on: dt.date | None = column("光荣牌审核通过日期", DATE)
    plaque_hung_on: dt.date | None = column("光荣牌悬挂日期", DATE)
    phone: str | None = column("联系电话", PHONE, aliases=PHONE_ALIASES)
    valid_from: dt.date | None = valid_from_column()

    def __attrs_post_init__(self) -> None:
        if self.gender is not None:
            expected = E.Gender.MALE if is_male(self.id_number) else E.Gender.FEMALE
            if self.gender is not expected:
                raise FieldError(
                    "gender",
                    N_(
                        "gender {gender} does not match the id number, which says {expected}"
                    ),
                    gender=self.gender,
                    expected=expected,
                )
        if self.birth_date is not None and self.birth_date != birth_date_of(
            self.id_number
        ):
            raise FieldError(
                "birth_date",
                N_(
                    "birth date {date} does not match the id number, which says {expected}"
                ),
                date=self.birth_date.isoformat(),
                expected=birth_date_of(self.id_number).isoformat(),
            )


@attrs.frozen(kw_only=True)
class Activity:
    unit_code: str = column("区划代码", CODE, required=True, aliases=UNIT_CODE_ALIASES)
    held_on: dt.date = column("日期", DATE, required=True, aliases=("活动日期",))
    type: E.ActivityType = column("活动类型", enum_type(E.ActivityType), required=True)
    title: str = column("名称", TEXT, required=True, aliases=("活动名称",))
    participants: int | None = column("参加人数", INT)
    tags: tuple[str, ...] | None = column("标签", list_type())


@attrs.frozen(kw_only=True)
class Visit:
    id_number: str = column(
        "身份证号", ID_NUMBER, required=True, aliases=ID_NUMBER_ALIASES
    )
    visited_on: dt.date = column(
        "走访日期", DATE, required=True, aliases=("慰问日期", "慰问时间")
    )
    reason: E.VisitReason = column("走访事由", enum_type(E.VisitReason), required=True)
    staff_person_id: str | None = column("走访人编号", NAME)
    note: str | None = column("备注", TEXT)


@attrs.frozen(kw_only=True)
class Honor:
    kind: E.HonorKind = column("类型", enum_type(E.HonorKind), required=True)
    # A person's name or id number (records.md): personal either way.
    recipient: str = column(
        "对象", TITLE, required=True, aliases=("对象姓名",), personal=Personal.NAME
    )
    unit_code: str = column("区划代码", CODE, required=True, aliases=UNIT_CODE_ALIASES)
    delivered_on: dt.date = column("日期", DATE, required=True, aliases=("送达日期",))
    note: str | None = column("备注", TEXT)


@attrs.frozen(kw_only=True)
class SocialInsurance:
    id_number: str = column(
        "身份证号", ID_NUMBER, required=True, aliases=ID_NUMBER_ALIASES
    )
    eligible: bool = column("符合条件", BOOL, required=True)
    status: E.InsuranceStatus = column(
        "状态", enum_type(E.InsuranceStatus), required=True
    )
    entered_on: dt.date | None = column("录入日期", DATE)
    funding: E.Funding | None = column("缴费来源", enum_type(E.Funding))
    explained: bool | None = column("已做政策解释", BOOL)

    def __attrs_post_init__(self) -> None:
        if self.status is E.InsuranceStatus.ENTERED and self.entered_on is None:
            raise FieldError("entered_on", N_("an entered record needs its entry date"))


@attrs.frozen(kw_only=True)
class Hardship:
    id_number: str = column(
        "身份证号", ID_NUMBER, required=True, aliases=ID_NUMBER_ALIASES
    )
    registered_on: dt.date = column("建档日期", DATE, required=True)
    difficulty: tuple[E.Difficulty, ...] = column(
        "困难类型", list_type(E.Difficulty), required=True, aliases=("困难类别",)
    )
    measures: str | None = column("帮扶措施", TEXT)
    dibao_eligible: bool | None = column("符合低保条件", BOOL)
    dibao: bool | None = column("享受低保", BOOL)
    other_relief: bool | None = column("享受其他救助", BOOL)
    closed_on: dt.date | None = column("销号日期", DATE)
    # Empty reads as 一般困难 (ordinary); 特别困难 families are recommended
    # to the province's and city's care funds first.
    severity: E.Severity | None = column(
        "困难程度", enum_type(E.Severity), aliases=("困难等级",)
    )


@attrs.frozen(kw_only=True)
class Employment:
    id_number: str = column(
        "身份证号", ID_NUMBER, required=True, aliases=ID_NUMBER_ALIASES
    )
    registered_on: dt.date = column("登记日期", DATE, required=True)
    status: E.EmploymentStatus = column(
        "就业状态", enum_type(E.EmploymentStatus), required=True
    )
    skills: str | None = column("特长", TEXT)
    wanted_job: str | None = column("求职意向", TEXT, aliases=("就业意向",))
    wants_training: bool | None = column("培训意愿", BOOL)
    trained_on: dt.date | None = column("参训日期", DATE)


@attrs.frozen(kw_only=True)
class JobFair:
    unit_code: str = column("区划代码", CODE, required=True, aliases=UNIT_CODE_ALIASES)
    held_on: dt.date = column("举办日期", DATE, required=True)
    employers: int | None = column("参会单位数", INT)
    positions: int | None = column("岗位数", INT)
    hires: int | None = column("达成意向人数", INT)


@attrs.frozen(kw_only=True)
class CareFund:
    unit_code: str = column("区划代码", CODE, required=True, aliases=UNIT_CODE_ALIASES)
    established_on: dt.date | None = column("成立日期", DATE)
    valid_from: dt.date | None = valid_from_column()


@attrs.frozen(kw_only=True)
class CareFundEntry:
    unit_code: str = column("基金所属县区代码", CODE, required=True)
    entry_no: str = column(
        "凭证号", NAME, required=True, aliases=("凭证编号", "凭证号码")
    )
    date: dt.date = column("日期", DATE, required=True)
    kind: E.FundEntryKind = column(
        "收支类型", enum_type(E.FundEntryKind), required=True
    )
    amount: Decimal = column("金额", MONEY, required=True)
    counterparty: str = column("捐赠方或受助人", TITLE, required=True)
    publicized_on: dt.date | None = column("公示日期", DATE)

    def __attrs_post_init__(self) -> None:
        if self.amount <= 0:
            raise FieldError("amount", N_("the amount must be more than zero"))


@attrs.frozen(kw_only=True)
class BenefitRecipient:
    id_number: str = column(
        "身份证号", ID_NUMBER, required=True, aliases=ID_NUMBER_ALIASES
    )
    name: str = column(
        "姓名",
        NAME,
        required=True,
        aliases=(*NAME_ALIASES, "优抚对象姓名"),
        personal=Personal.NAME,
    )
    unit_code: str = column(
        "现居村社区代码", CODE, required=True, aliases=VILLAGE_CODE_ALIASES
    )
    category: E.BenefitCategory = column(
        "优抚类别",
        enum_type(E.BenefitCategory),
        required=True,
        aliases=("优抚对象类别",),
    )
    monthly_standard: Decimal = column(
        "月发放标准", MONEY, required=True, aliases=("发放标准", "月标准")
    )
    started_on: dt.date = column("起始日期", DATE, required=True)
    ended_on: dt.date | None = column("终止日期", DATE, future=True)
    verified_on: dt.date | None = column("核对日期", DATE)
    valid_from: dt.date | None = valid_from_column()

    def __attrs_post_init__(self) -> None:
        _not_before(self, "ended_on", "started_on")


@attrs.frozen(kw_only=True)
class BenefitPayment:
    id_number: str = column(
        "身份证号", ID_NUMBER, required=True, aliases=ID_NUMBER_ALIASES
    )
    category: E.BenefitCategory = column(
        "优抚类别",
        enum_type(E.BenefitCategory),
        required=True,
        aliases=("优抚对象类别",),
    )
    month: str = column("发放月份", MONTH, required=True, aliases=("月份",))
    amount: Decimal = column("金额", MONEY, required=True, aliases=("发放金额",))
    paid_on: dt.date = column("发放日期", DATE, required=True)


@attrs.frozen(kw_only=True)
class Placement:
    id_number: str = column(
        "身份证号", ID_NUMBER, required=True, aliases=ID_NUMBER_ALIASES
    )
    type: E.PlacementType = column(
        "安置类型", enum_type(E.PlacementType), required=True, aliases=("安置方式",)
    )
    received_on: dt.date = column("接收日期", DATE, required=True)
    placed_on: dt.date | None = column("安置日期", DATE)
    legacy: bool | None = column("遗留问题", BOOL)
    resolved_on: dt.date | None = column("解决日期", DATE)


@attrs.frozen(kw_only=True)
class ServiceContract:
    unit_code: str = column("区划代码", CODE, required=True, aliases=UNIT_CODE_ALIASES)
    field: E.ServiceField = column("领域", enum_type(E.ServiceField), required=True)
    provider: str = column(
        "签约单位或个人", TITLE, required=True, aliases=("签约方", "签约单位")
    )
    signed_on: dt.date = column("签约日期", DATE, required=True)
    expires_on: dt.date | None = column("到期日期", DATE, future=True)
    valid_from: dt.date | None = valid_from_column()

    def __attrs_post_init__(self) -> None:
        _not_before(self, "expires_on", "signed_on")


@attrs.frozen(kw_only=True)
class HomeService:
    id_number: str = column(
        "身份证号", ID_NUMBER, required=True, aliases=ID_NUMBER_ALIASES
    )
    field: E.ServiceField = column("领域", enum_type(E.ServiceField), required=True)
    served_on: dt.date = column("服务日期", DATE, required=True)
    provider: str | None = column("服务方", TITLE, aliases=("服务单位", "服务人员"))


@attrs.frozen(kw_only=True)
class Petition:
    case_no: str = column(
        "编号", NAME, required=True, aliases=("信访编号", "信访件编号", "案件编号")
    )
    unit_code: str = column(
        "属地代码", CODE, required=True, aliases=("属地区划代码", "区划代码")
    )
    id_number: str | None = column("身份证号", ID_NUMBER, aliases=ID_NUMBER_ALIASES)
    received_on: dt.date = column(
        "登记日期", DATE, required=True, aliases=("信访日期",)
    )
    channel: E.Channel = column("信访形式", enum_type(E.Channel), required=True)
    group: bool | None = column("集体访", BOOL)
    level_reached: E.LevelReached | None = column("到达层级", enum_type(E.LevelReached))
    handling: tuple[E.Handling, ...] | None = column("接待方式", list_type(E.Handling))
    decision: E.Decision | None = column("受理意见", enum_type(E.Decision))
    accepted_on: dt.date | None = column(
        "受理（告知）日期", DATE, aliases=("受理日期", "告知日期", "受理时间")
    )
    extended: bool | None = column("延期", BOOL)
    replied_on: dt.date | None = column("答复日期", DATE)
    closed_on: dt.date | None = column("办结日期", DATE)
    outcome: E.Outcome | None = column("处理意见", enum_type(E.Outcome))
    review_requested_on: dt.date | None = column("复查申请日期", DATE)
    review_answered_on: dt.date | None = column("复查意见日期", DATE)
    recheck_requested_on: dt.date | None = column("复核申请日期", DATE)
    recheck_answered_on: dt.date | None = column("复核意见日期", DATE)
    resolution: tuple[E.Resolution, ...] | None = column(
        "化解方式", list_type(E.Resolution)
    )
    escalated: bool | None = column("越级", BOOL)
    repeat: bool | None = column("重复信访", BOOL)
    rescreened_on: dt.date | None = column("再排查日期", DATE)
    answered_per_policy: bool | None = column("按政策及时答复", BOOL)
    policy_implemented: bool | None = column("政策落实到位", BOOL)
    solved: bool | None = column("问题有效解决", BOOL)
    stable: bool | None = column("思想稳定无反弹", BOOL)
    responsible: str | None = column("责任人", NAME, personal=Personal.NAME)

    def __attrs_post_init__(self) -> None:
        # A petition is received, then accepted, then closed (信访工作条例).
        _not_before(self, "accepted_on", "received_on")
        _not_before(self, "closed_on", "accepted_on")
        _not_before(self, "closed_on", "received_on")

    @property
    def effective_decision(self) -> E.Decision | None:
        """Empty decision means accepted once accepted_on is set (records.md)."""
        if self.decision is None and self.accepted_on is not None:
            return E.Decision.ACCEPTED
        return self.decision


@attrs.frozen(kw_only=True)
class SecretaryCheck:
    """A county or township Party secretary looking into veterans' work."""

    unit_code: str = column("区划代码", CODE, required=True, aliases=UNIT_CODE_ALIASES)
    checked_on: dt.date = column(
        "过问检查日期", DATE, required=True, aliases=("日期", "检查日期", "过问日期")
    )
    secretary: str = column(
        "书记姓名",
        NAME,
        required=True,
        aliases=("书记", "姓名"),
        personal=Personal.NAME,
    )
    form: E.CheckForm = column(
        "方式", enum_type(E.CheckForm), required=True, aliases=("过问检查方式", "形式")
    )
    note: str | None = column("备注", TEXT, aliases=("内容", "过问检查内容"))


@attrs.frozen(kw_only=True)
class Reception:
    """A leader receiving, inviting, visiting or supervising petitioners."""

    unit_code: str = column("区划代码", CODE, required=True, aliases=UNIT_CODE_ALIASES)
    held_on: dt.date = column("日期", DATE, required=True, aliases=("接访日期",))
    kind: E.Handling = column(
        "方式", enum_type(E.Handling), required=True, aliases=("接访方式", "类型")
    )
    leader: str = column(
        "领导姓名",
        NAME,
        required=True,
        aliases=("领导", "接访领导", "带班领导"),
        personal=Personal.NAME,
    )
    post: str | None = column("职务", TITLE, aliases=("领导职务",))
    people: int | None = column("人数", INT, aliases=("接待人数", "来访人数"))
    case_nos: tuple[str, ...] | None = column(
        "信访编号", list_type(), aliases=("信访件编号", "涉及信访件")
    )


@attrs.frozen(kw_only=True)
class CasePlan:
    """一人一事工作方案: the plan for one petition, with its leader and due date."""

    case_no: str = column(
        "信访编号", NAME, required=True, aliases=("编号", "信访件编号", "案件编号")
    )
    drafted_on: dt.date = column(
        "制定日期", DATE, required=True, aliases=("方案日期", "日期")
    )
    leader: str = column(
        "包案领导",
        NAME,
        required=True,
        aliases=("包案领导姓名",),
        personal=Personal.NAME,
    )
    measures: str | None = column("措施", TEXT, aliases=("工作措施", "化解措施"))
    due_on: dt.date | None = column(
        "办结时限", DATE, future=True, aliases=("化解时限", "时限", "期限")
    )
    closed_on: dt.date | None = column("办结日期", DATE, aliases=("化解日期",))

    def __attrs_post_init__(self) -> None:
        _not_before(self, "due_on", "drafted_on")
        _not_before(self, "closed_on", "drafted_on")


@attrs.frozen(kw_only=True)
class FundRecommendation:
    """A veteran recommended to the province's or the city's care fund."""

    id_number: str = column(
        "身份证号", ID_NUMBER, required=True, aliases=ID_NUMBER_ALIASES
    )
    unit_code: str = column(
        "推荐单位代码", CODE, required=True, aliases=UNIT_CODE_ALIASES
    )
    recommended_on: dt.date = column("推荐日期", DATE, required=True)
    fund_level: E.FundLevel = column(
        "基金级别", enum_type(E.FundLevel), required=True, aliases=("推荐至",)
    )
    outcome: E.RecommendationOutcome | None = column(
        "结果", enum_type(E.RecommendationOutcome), aliases=("帮扶结果", "救助结果")
    )
    amount: Decimal | None = column("金额", MONEY, aliases=("帮扶金额", "救助金额"))
    publicized_on: dt.date | None = column("公示日期", DATE)

    def __attrs_post_init__(self) -> None:
        if self.amount is None:
            return
        if self.amount <= 0:
            raise FieldError("amount", N_("the amount must be more than zero"))
        if self.outcome is not E.RecommendationOutcome.GRANTED:
            raise FieldError(
                "amount", N_("an amount is only given for a granted recommendation")
            )


# ---------------------------------------------------------------------------
# The registry of kinds.


@attrs.frozen
class Field:
    """One column of a kind, as the contract defines it."""

    name: str
    zh: str
    type: ValueType
    required: bool
    future: bool
    doc: str
    aliases: tuple[str, ...] = ()  # other headers clerks write for it
    personal: Personal | None = None  # masked in every output unless show_pii

    def header(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.name


@attrs.frozen
class Reference:
    """Fields of a kind that must name a row of another kind on import.

    ``level`` restricts a unit reference to units of that level (or of one
    of several levels, given as a tuple); ``when``
    (field, value) makes it apply only to records with that value (a
    grant's counterparty names a veteran, a donor does not).
    """

    fields: tuple[str, ...]
    target: str
    target_fields: tuple[str, ...]
    level: E.Level | tuple[E.Level, ...] | None = None
    when: tuple[str, Any] | None = None

    @property
    def levels(self) -> tuple[E.Level, ...]:
        """The levels a referenced unit may have (none: any)."""
        if self.level is None:
            return ()
        return self.level if isinstance(self.level, tuple) else (self.level,)

    def applies_to(self, record: Any) -> bool:
        if self.when is not None and getattr(record, self.when[0]) != self.when[1]:
            return False
        return all(getattr(record, f) is not None for f in self.fields)


def _unit(
    field: str = "unit_code", level: E.Level | tuple[E.Level, ...] | None = None
) -> Reference:
    return Reference((field,), "units", ("code",), level)


def _veteran(field: str = "id_number") -> Reference:
    return Reference((field,), "veterans", ("id_number",))


def _staff(field: str) -> Reference:
    return Reference((field,), "staff", ("person_id",))


@functools.cache
def _fields_of(record: type) -> tuple[Field, ...]:
    """A record class's fields with their contract (built once: imports ask per row)."""
    return tuple(
        Field(
            name=a.name,
            zh=a.metadata["zh"],
            type=a.metadata["type"],
            required=a.metadata["required"],
            future=a.metadata["future"],
            doc=a.metadata["doc"],
            aliases=a.metadata["aliases"],
            personal=a.metadata.get("personal"),
        )
        for a in attrs.fields(record)
    )


@attrs.frozen
class RecordKind:
    name: str
    title: str  # the Chinese title of the kind, from records.md
    title_en: str
    record: type
    key: tuple[str, ...]
    references: tuple[Reference, ...] = ()

    @property
    def fields(self) -> tuple[Field, ...]:
        return _fields_of(self.record)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def personal(self) -> dict[str, Personal]:
        """The kind's personal columns and what they hold."""
        return {f.name: f.personal for f in self.fields if f.personal is not None}

    @property
    def versioned(self) -> bool:
        """Whether the kind keeps earlier versions of a record (a 生效日期 column)."""
        return any(f.name == VALID_FROM for f in self.fields)

    def key_of(self, record: Any) -> tuple[Any, ...]:
        return tuple(getattr(record, k) for k in self.key)

    def display_title(self, lang: str) -> str:
        return self.title if lang == "zh" else self.title_en

    @property
    def label(self) -> Bilingual:
        """The kind's name as a reader sees it, in any language."""
        return Bilingual(self.title, self.title_en)


# What the importer does for a kind beyond reading, checking references and
# writing (units: parents and the ancestor table; care fund entries: the
# balance) is declared per kind in ``imports/rules.py``: it needs the database.
KINDS: dict[str, RecordKind] = {
    k.name: k
    for k in (
        RecordKind("units", "单位（行政区划）", "units", Unit, ("code",)),
        RecordKind(
            "stations",
            "服务中心（站）",
            "stations",
            Station,
            ("unit_code",),
            (_unit(),),
        ),
        RecordKind(
            "environment",
            "政治文化环境检查",
            "environment inspections",
            Inspection,
            ("unit_code", "checked_on"),
            (_unit(),),
        ),
        RecordKind(
            "staff",
            "工作人员、领导小组成员、志愿者",
            "staff",
            StaffMember,
            ("person_id", "unit_code", "role"),
            (_unit(),),
        ),
        RecordKind(
            "guidance_visits",
            "专职人员下村（社区）指导",
            "guidance visits",
            GuidanceVisit,
            ("staff_person_id", "unit_code", "visited_on"),
            (_staff("staff_person_id"), _unit(level=E.Level.VILLAGE)),
        ),
        RecordKind(
            "veterans",
            "退役军人",
            "veterans",
            Veteran,
            ("id_number",),
            (_unit(level=E.Level.VILLAGE), _staff("contact_person_id")),
        ),
        RecordKind(
            "activities",
            "经常性工作活动",
            "activities",
            Activity,
            ("unit_code", "held_on", "type", "title"),
            (_unit(),),
        ),
        RecordKind(
            "visits",
            "走访慰问",
            "visits",
            Visit,
            ("id_number", "visited_on", "reason"),
            (_veteran(), _staff("staff_person_id")),
        ),
        RecordKind(
            "honors",
            "荣誉激励",
            "honors",
            Honor,
            ("kind", "recipient", "delivered_on"),
            (_unit(),),
        ),
        RecordKind(
            "social_insurance",
            "社保接续",
            "social insurance",
            SocialInsurance,
            ("id_number",),
            (_veteran(),),
        ),
        RecordKind(
            "hardship",
            "困难退役军人家庭台账",
            "hardship ledger",
            Hardship,
            ("id_number", "registered_on"),
            (_veteran(),),
        ),
        RecordKind(
            "employment",
            "就业创业登记",
            "employment",
            Employment,
            ("id_number", "registered_on"),
            (_veteran(),),
        ),
        RecordKind(
            "job_fairs",
            "专场招聘会",
            "job fairs",
            JobFair,
            ("unit_code", "held_on"),
            (_unit(),),
        ),
        RecordKind(
            "care_funds",
            "关爱基金",
            "care funds",
            CareFund,
            ("unit_code",),
            (_unit(level=E.Level.COUNTY),),
        ),
        RecordKind(
            "care_fund_entries",
            "关爱基金收支",
            "care fund entries",
            CareFundEntry,
            ("unit_code", "entry_no"),
            (
                Reference(("unit_code",), "care_funds", ("unit_code",)),
                Reference(
                    ("counterparty",),
                    "veterans",
                    ("id_number",),
                    when=("kind", E.FundEntryKind.GRANT),
                ),
            ),
        ),
        RecordKind(
            "benefit_recipients",
            "优抚对象",
            "benefit recipients",
            BenefitRecipient,
            ("id_number", "category", "started_on"),
            (_unit(level=E.Level.VILLAGE),),
        ),
        RecordKind(
            "benefit_payments",
            "优抚金发放",
            "benefit payments",
            BenefitPayment,
            ("id_number", "category", "month"),
            (
                Reference(
                    ("id_number", "category"),
                    "benefit_recipients",
                    ("id_number", "category"),
                ),
            ),
        ),
        RecordKind(
            "placements", "安置", "placements", Placement, ("id_number",), (_veteran(),)
        ),
        RecordKind(
            "service_contracts",
            "专业力量签约",
            "service contracts",
            ServiceContract,
            ("unit_code", "field", "provider"),
            (_unit(),),
        ),
        RecordKind(
            "home_services",
            "上门服务",
            "home services",
            HomeService,
            ("id_number", "field", "served_on"),
            (_veteran(),),
        ),
        RecordKind(
            "petitions",
            "信访事项",
            "petitions",
            Petition,
            ("case_no",),
            (_unit(), _veteran()),
        ),
        RecordKind(
            "secretary_checks",
            "书记过问检查",
            "secretary checks",
            SecretaryCheck,
            ("unit_code", "checked_on", "secretary"),
            (_unit(level=(E.Level.COUNTY, E.Level.TOWNSHIP)),),
        ),
        RecordKind(
            "receptions",
            "领导接访下访",
            "leaders' receptions",
            Reception,
            ("unit_code", "held_on", "kind", "leader"),
            # Each of case_nos must name a petition: checked in imports/rules.py
            # (a reference names one value, this field a list).
            (_unit(),),
        ),
        RecordKind(
            "case_plans",
            "一人一事工作方案",
            "case plans",
            CasePlan,
            ("case_no", "drafted_on"),
            (Reference(("case_no",), "petitions", ("case_no",)),),
        ),
        RecordKind(
            "fund_recommendations",
            "推荐省市关爱基金",
            "care fund recommendations",
            FundRecommendation,
            ("id_number", "recommended_on"),
            (_veteran(), _unit()),
        ),
    )
}


def kind(name: str) -> RecordKind:
    """The kind called ``name`` (English, or its Chinese title)."""
    if name in KINDS:
        return KINDS[name]
    for k in KINDS.values():
        if name == k.title:
            return k
    raise ValidationError(
        N_("unknown record kind '{name}'; choose one of: {choices}"),
        name=name,
        choices=", ".join(KINDS),
    )
