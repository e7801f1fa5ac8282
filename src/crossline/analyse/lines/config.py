"""Every parameter of the line analyses, typed and documented, in one place.

Defaults describe how county lines behave (near-daily marketing texts at any hour, short
ordering contacts from one town, numbers replaced every few weeks with the customer list
carried over); none is fitted to a simulated seed. Override them in crossline.toml under
[lines] or in code.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class LinesConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt parameter is an error

    duplicate_window_s: int = Field(
        30,
        description="Records of one call or text delivered by two providers (each network "
        "supplies its own subscriber's leg): same parties and kind, stamped at most this "
        "far apart (switch clocks differ by seconds, a text is logged again on delivery), "
        "from another provider. Counted once.",
    )
    burst_gap_s: int = Field(
        300, description="Texts from one number less than this apart belong to one burst."
    )
    burst_min_recipients: int = Field(
        6, description="Distinct recipients that make a run of texts a broadcast burst."
    )
    min_burst_rate: float = Field(
        0.3,
        description="Broadcast bursts per day over the number's life: more than twice a "
        "week. Deal lines market daily or every other day; shops and organisers text weekly "
        "(about 0.14 a day).",
    )
    weekly_burst_rate: float = Field(
        1 / 7,
        description="Broadcast bursts per day that suffice when the list buys habitually "
        "(habitual_orders_per_recipient_day) in short orders (mixed_orders_min_short_share): "
        "some lines flyer mainly when a number launches, or an evening or two a week, and "
        "live on regular buyers after that.",
    )
    weekly_min_burst_days: int = Field(
        4,
        description="Days with a burst a weekly broadcaster needs: weeks of marketing, not "
        "a party invitation sent twice.",
    )
    min_burst_days: int = Field(
        2,
        description="Days with a burst before a number can be confirmed on its own: one "
        "group text is not a pattern. A younger number counts only as a hand-over.",
    )
    min_orderers: int = Field(
        5, description="Distinct contacts making short inbound contacts (orders)."
    )
    order_max_call_s: int = Field(
        90, description="An inbound call up to this long counts as an ordering contact."
    )
    min_short_share: float = Field(
        0.6, description="Share of inbound contacts that are short orders (texts or short calls)."
    )
    min_reciprocity: float = Field(
        0.25, description="Share of broadcast recipients who contact the number back."
    )
    min_orders_per_recipient_day: float = Field(
        0.03,
        description="Inbound contacts per broadcast recipient per active day: customers of a "
        "line order every few days, a shop's mailing list rarely calls.",
    )
    customer_min_burst_share: float = Field(
        0.5,
        description="A customer is on the broadcast list: most texts it gets from the number "
        "are flyers. A runner's or the controller's phone gets working texts and only "
        "catches a flyer when a message happens to fall inside a burst.",
    )
    min_night_share: float = Field(
        0.05,
        description="Share of bursts sent between 22:00 and 07:00 London time. Lines market "
        "at any hour; shops, takeaways and clubs text in the day or early evening.",
    )
    habitual_orders_per_recipient_day: float = Field(
        0.1,
        description="Contacts back per recipient per day that mark habitual buying (every "
        "ten days or more often). A number must broadcast at night, be ordered from this "
        "often, or take its orders by text and call alike, all short "
        "(mixed_orders_min_short_share): a takeaway texting a daily offer does none.",
    )
    min_order_call_share: float = Field(
        0.15,
        description="Share of the contacts back from a number's broadcast list that are "
        "voice calls. Many of a line's orders are calls (answered or not); a church, club "
        "or group organiser's list answers its texts with texts.",
    )
    mixed_orders_min_short_share: float = Field(
        0.9,
        description="Share of short inbound contacts that, with orders both texted and "
        "called (call share between min_order_call_share and 1 - min_order_call_share), "
        "marks a line that markets only in the day: its buyers text or ring and keep it "
        "short, where a takeaway's customers ring and talk through the order.",
    )
    young_number_days: int = Field(
        7,
        description="A number seen for at most this many days that broadcasts like a line "
        "but has too few orders yet is kept only as a hand-over of a confirmed line.",
    )
    handover_max_gap_days: int = Field(
        14, description="Longest silence between a dropped number and its successor."
    )
    handover_max_overlap_days: int = Field(
        5, description="Longest time the old and new number of one line run side by side."
    )
    handover_min_share: float = Field(
        0.5,
        gt=0,
        le=1,
        description="Share of the dropped number's customers the successor must reach.",
    )
    handover_min_share_of_new: float = Field(
        0.3,
        description="Share of the successor's customers that were the dropped number's: a "
        "new number texts the old list (less those lost, plus a few new buyers); a blast "
        "to thousands of random numbers reaches a small line's customers among many more.",
    )
    runner_min_importer_share: float = Field(
        0.05, description="Share of a phone's records in the importer area to count as there."
    )
    associate_min_contacts: int = Field(
        3,
        description="Contacts with the line's deal numbers that make a non-customer phone "
        "one of the line's associates (a candidate controller or runner).",
    )
    tie_min_contacts: int = Field(
        3,
        description="Contacts between an associate and another phone that make a tie in the "
        "line's neighbourhood graph (one call is anyone's; repeated calls are a "
        "relationship).",
    )
    runner_min_customers: int = Field(
        3,
        description="Distinct customers of the line a phone contacts that make it one "
        "meeting customers (a runner rings or texts a buyer when outside); friends of a "
        "customer or two do not.",
    )
    runner_min_customer_share: float = Field(
        0.15,
        description="Share of a line's customers a phone must ring or text to be taken for "
        "its runner when nothing else ties it to the line (the deal phone talks to nobody "
        "but customers): a runner delivers to many of them over weeks, a buyer's friend "
        "knows a few.",
    )
    runner_min_line_share: float = Field(
        0.5,
        description="Share of a phone's distinct contacts that are the line's customers or "
        "deal numbers for it to count as meeting customers: a runner phone is a work phone; "
        "an organiser or a delivery driver reaches customers among many others.",
    )
    controller_min_contacts: int = Field(
        6,
        description="Contacts with the deal phone and runner phones a controller must have "
        "(structural roles): fewer and the data does not show who runs the line.",
    )
    runner_min_contacts: int = Field(
        3, description="Contacts with the controller or the deal phone to count as a runner."
    )
