"""Enumerations of the records contract, each member with its Chinese label."""

from __future__ import annotations

from vetservice.domain.labels import LabelledEnum


class Level(LabelledEnum):
    # Only the country demo has a unit at this level: the root above the 31 provinces.
    COUNTRY = "country", "全国"
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县区"
    TOWNSHIP = "township", "乡镇街道"
    VILLAGE = "village", "村社区"

    @property
    def depth(self) -> int:
        return list(Level).index(self)


class UnitKind(LabelledEnum):
    DISTRICT = "district", "区"
    COUNTY = "county", "县"
    CITY = "city", "市"
    BANNER = "banner", "旗"
    STREET = "street", "街道"
    TOWN = "town", "镇"
    TOWNSHIP = "township", "乡"
    SUMU = "sumu", "苏木"
    COMMUNITY = "community", "社区"
    VILLAGE = "village", "村"
    GACHA = "gacha", "嘎查"


# Which unit kinds belong at which level (a 市 kind is a county-level city).
KIND_LEVEL = {
    UnitKind.DISTRICT: Level.COUNTY,
    UnitKind.COUNTY: Level.COUNTY,
    UnitKind.CITY: Level.COUNTY,
    UnitKind.BANNER: Level.COUNTY,
    UnitKind.STREET: Level.TOWNSHIP,
    UnitKind.TOWN: Level.TOWNSHIP,
    UnitKind.TOWNSHIP: Level.TOWNSHIP,
    UnitKind.SUMU: Level.TOWNSHIP,
    UnitKind.COMMUNITY: Level.VILLAGE,
    UnitKind.VILLAGE: Level.VILLAGE,
    UnitKind.GACHA: Level.VILLAGE,
}


class StationModel(LabelledEnum):
    NATIONAL = "national", "全国示范型"
    PROVINCIAL = "provincial", "省级示范型"
    CITY = "city", "市级示范型"
    FENGQIAO = "fengqiao", "枫桥式"


class StaffRole(LabelledEnum):
    DIRECTOR = "director", "主任"
    STAFF = "staff", "工作人员"
    LEADING_GROUP = "leading_group", "领导小组成员"
    VOLUNTEER = "volunteer", "志愿者"


class GroupRole(LabelledEnum):
    SECRETARY = "secretary", "书记"
    GRID_WORKER = "grid_worker", "网格员"
    FIRST_SECRETARY = "first_secretary", "驻村第一书记"
    COLLEGE_GRADUATE_OFFICIAL = "college_graduate_official", "大学生村官"
    GROUP_LEADER = "group_leader", "村民小组长"
    OTHER = "other", "其他"


class Gender(LabelledEnum):
    MALE = "male", "男"
    FEMALE = "female", "女"


class VeteranCategory(LabelledEnum):
    TRANSFERRED_CADRE = "transferred_cadre", "转业干部"
    RETIRED_CADRE = "retired_cadre", "退休干部"
    DEMOBILIZED_CADRE = "demobilized_cadre", "复员干部"
    NCO = "nco", "退役士官"
    CONSCRIPT = "conscript", "退役义务兵"
    OTHER = "other", "其他"


class ActivityType(LabelledEnum):
    STUDY = "study", "学习教育"
    PARTY = "party", "党建"
    HONOR = "honor", "荣誉激励"
    VISIT = "visit", "走访慰问"
    VOLUNTEER = "volunteer", "志愿服务"
    CULTURE = "culture", "文体"
    SPECIAL = "special", "特色"


class VisitReason(LabelledEnum):
    HOLIDAY = "holiday", "重大节日"
    ILLNESS = "illness", "生病住院"
    BEREAVEMENT = "bereavement", "家庭变故/亡故"
    DISASTER = "disaster", "遭遇灾害"
    HARDSHIP = "hardship", "生活困难"
    DISPUTE = "dispute", "矛盾纠纷"
    HONOR = "honor", "立功受奖"
    RETURN = "return", "退役返乡"
    PETITION = "petition", "信访诉求"
    ROUTINE = "routine", "日常联系"
    OTHER = "other", "其他"


class HonorKind(LabelledEnum):
    GOOD_NEWS = "good_news", "喜报"
    BLESSING = "blessing", "送祝福"


class InsuranceStatus(LabelledEnum):
    PENDING = "pending", "待录入"
    ENTERED = "entered", "已录入"
    REJECTED = "rejected", "审核未通过"


class Funding(LabelledEnum):
    SELF = "self", "个人"
    EMPLOYER = "employer", "单位"
    GOVERNMENT = "government", "政府筹措"


class Difficulty(LabelledEnum):
    ILLNESS = "illness", "因病"
    DISABILITY = "disability", "因残"
    UNEMPLOYMENT = "unemployment", "失业"
    DISASTER = "disaster", "因灾"
    EDUCATION = "education", "因学"
    OTHER = "other", "其他"


class EmploymentStatus(LabelledEnum):
    EMPLOYED = "employed", "已就业"
    SELF_EMPLOYED = "self_employed", "自主创业"
    SEEKING = "seeking", "求职"
    NOT_SEEKING = "not_seeking", "暂无意愿"


class FundEntryKind(LabelledEnum):
    DONATION = "donation", "捐赠收入"
    GRANT = "grant", "帮扶支出"


class BenefitCategory(LabelledEnum):
    DISABLED = "disabled", "残疾军人"
    MARTYR_FAMILY = "martyr_family", "烈士遗属"
    DUTY_DEATH_FAMILY = "duty_death_family", "因公牺牲军人遗属"
    ILLNESS_DEATH_FAMILY = "illness_death_family", "病故军人遗属"
    DEMOBILIZED = "demobilized", "在乡复员军人"
    ILL_RETURNED = "ill_returned", "带病回乡退伍军人"
    WAR_PARTICIPANT = "war_participant", "参战参试退役人员"
    RURAL_AGED = "rural_aged", "农村籍60周岁以上退役士兵"
    OTHER = "other", "其他"


class PlacementType(LabelledEnum):
    TRANSFERRED_CADRE = "transferred_cadre", "转业干部"
    NCO = "nco", "转业士官"


class ServiceField(LabelledEnum):
    LEGAL = "legal", "法律"
    PSYCHOLOGICAL = "psychological", "心理"
    MEDICAL = "medical", "医疗"
    ELDERLY_CARE = "elderly_care", "康养"
    ARTS = "arts", "文艺"


class Channel(LabelledEnum):
    ONLINE = "online", "网络"
    LETTER = "letter", "书信"
    PHONE = "phone", "电话"
    FAX = "fax", "传真"
    VISIT = "visit", "走访"


class LevelReached(LabelledEnum):
    COUNTY = "county", "县"
    CITY = "city", "市"
    PROVINCE = "province", "省"
    NATIONAL = "national", "京"


class Handling(LabelledEnum):
    RECEPTION = "reception", "接访"
    APPOINTMENT = "appointment", "约访"
    OUTREACH = "outreach", "下访"
    SUPERVISION = "supervision", "督访"


class Decision(LabelledEnum):
    ACCEPTED = "accepted", "受理"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    TRANSFERRED = "transferred", "转送"


class Outcome(LabelledEnum):
    SUPPORTED = "supported", "予以支持"
    EXPLAINED = "explained", "解释说明"
    NOT_SUPPORTED = "not_supported", "不予支持"


class Resolution(LabelledEnum):
    POLICY = "policy", "政策落实"
    MONEY = "money", "资金物资"
    CARE = "care", "关心关爱"
    EDUCATION = "education", "思想教育"
    LEGAL = "legal", "法治宣讲"
    ASSISTANCE = "assistance", "帮难解困"
    EXPLANATION = "explanation", "政策解释"


class Severity(LabelledEnum):
    """How hard a family's hardship is; an empty cell reads as ordinary."""

    SPECIAL = "special", "特别困难"
    ORDINARY = "ordinary", "一般困难"


class CheckForm(LabelledEnum):
    """How a Party secretary looked into veterans' work (书记过问检查)."""

    ASK = "ask", "过问"
    BRIEFING = "briefing", "听取汇报"
    INSPECTION = "inspection", "实地检查"


class FundLevel(LabelledEnum):
    PROVINCE = "province", "省"
    CITY = "city", "市"


class RecommendationOutcome(LabelledEnum):
    PENDING = "pending", "待定"
    GRANTED = "granted", "获助"
    DECLINED = "declined", "未获助"
