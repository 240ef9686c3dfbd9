"""The detection rules: small named functions, tried in order, the first verdict wins.

Each rule looks at one `Message` (through `Facts`, which computes the un-quoted text, the calendar event, the
times and the deadline once) and returns a `Verdict` or None. A verdict's `reason` quotes the words that
matched, never the body. Rules read only what the writer wrote (`strip_quoted`), so a phrase the employer
merely quoted from the candidate cannot fire.

Order matters and is deliberate: machine mail first (bounces, auto-replies), then the user's own mail, then
bulk mail, then acknowledgements (which lose to anything more specific in the same message), then the
decisive employer kinds (offer, rejection, cancellation, interview), then any other human reply.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cached_property

from agent.detect.addresses import (
    is_ats_domain,
    is_automated_address,
    is_bulk_sender_domain,
    is_human,
    is_job_board,
)
from agent.detect.calendar import CalendarEvent, read_calendar
from agent.detect.company import clean_subject, find_company, find_role
from agent.detect.context import DetectContext
from agent.detect.dates import find_deadline
from agent.detect.interview_text import FoundTime, find_interviewers, find_times, schedule_end
from agent.models import Address, Deadline, FolderRole, InterviewInfo, Kind, Message, Verdict
from agent.parsing import strip_quoted

Rule = Callable[[Message, DetectContext], Verdict | None]

# ---------------------------------------------------------------------------------------------------------
# phrases

_BOUNCE_SUBJECT = re.compile(
    r"^(?:\W*(?:re|fw|fwd):\s*)*(?:delivery status notification|undeliverable|undelivered mail|mail delivery"
    r" (?:failed|failure|subsystem)|delivery (?:failure|has failed|incomplete|notification)|returned mail|failure"
    r" notice|message (?:not delivered|blocked)|delivery delayed|could not be delivered|nondeliverable)",
    re.IGNORECASE,
)
_OOO_SUBJECT = re.compile(
    r"(?:\bautomatic reply\b|\bauto(?:matic)?[- ]?(?:reply|response)\b|\bautoreply\b|\babwesenheitsnotiz\b"
    r"|\babwesend\b|réponse automatique|respuesta automática|risposta automatica|^(?:\W*(?:re|aw):\s*)*"
    r"(?:out of (?:the )?office|ooo\b|away from (?:the )?office|on (?:vacation|leave|holiday)))",
    re.IGNORECASE,
)
_OOO_BODY = re.compile(
    r"\b(?:i am|i'm|i’m|i will be|i'll be|i’ll be|i have been)\s+(?:currently\s+|now\s+)?(?:out of (?:the )?office"
    r"|ooo\b|away\b|on (?:annual |parental |maternity |paternity |sick |medical )?(?:leave|vacation|holiday|pto)"
    r"|(?:currently )?travell?ing|offline|out (?:until|through|till|from))|\blimited access to (?:my )?e-?mail"
    r"|\bcurrently (?:out of (?:the )?office|away from (?:my desk|the office))"
    r"|\bout of (?:the )?office (?:until|through)",
    re.IGNORECASE,
)
# The writer is gone for good: "This mailbox is no longer monitored", "I've left Globex", "I am no longer with".
# ("This mailbox is not monitored" is an ATS footer under real mail: only "no longer" says someone left.)
_GONE_BODY = re.compile(
    r"\bthis\s+(?:mail\s*box|inbox|e-?mail\s+(?:address|account|inbox)|account|address)\s+is\s+no\s+longer\s+"
    r"(?:being\s+)?(?:monitored|checked|in\s+use|active|read)\b|\b(?:i(?:'ve|’ve|\s+have))\s+left\s+(?:the\s+company\b"
    r"|the\s+organi[sz]ation\b|(?-i:[A-Z])\w+(?:\s+(?-i:[A-Z])\w+)?(?=\s*[.,;!]|\s+(?:as\s+of|and\s+(?:this|my))\b))|\bi(?:'m|’m|\s+am)\s+no\s+longer\s+(?:with|at|employed\s+(?:by|at|with)"
    r"|working\s+(?:at|for|with))\b",
    re.IGNORECASE,
)
# A helpdesk's receipt for a message: "[Ticket #12345] We received your request", "a ticket has been created".
_TICKET_SUBJECT = re.compile(
    r"\[\s*(?:ticket|request|case|incident)\s*#?\s*\d+\s*\]|\b(?:ticket|request|case)\s+(?:received|created|opened)\b"
    r"|\[#\d{3,}\]",
    re.IGNORECASE,
)
_TICKET_BODY = re.compile(
    r"\byour\s+(?:request|ticket|case|enquiry|inquiry)\s+(?:\(#?\d+\)\s+|#\s*\d+\s+)?has\s+been\s+(?:received|created"
    r"|logged|opened)|\ba\s+(?:support\s+)?(?:ticket|case)\s+(?:number\s+)?(?:has\s+been|was)\s+(?:created|opened|logged)",
    re.IGNORECASE,
)
_OOO_ABSENCE = re.compile(
    r"\b(?:until|through|till|return(?:ing)?|back (?:on|in)|upon my return|in my absence|urgent|limited access"
    r"|respond (?:to your (?:e-?mail|message) )?(?:when|as soon as|upon)|reply (?:when|as soon as|upon))\b",
    re.IGNORECASE,
)

_THANK_YOU = re.compile(
    r"\b(?:thx|thnx|thanx|tysm)(?:\s+(?:so|very)\s+much)?\s+for\s+(?:the|our|your)\s+(?:\w+\s+)?(?:chat|call"
    r"|conversation|interview|time|meeting|discussion)\b"
    r"|\bthank(?:s| you)(?:\s+(?:so|very)\s+much|\s+again)?\s+for\s+(?:taking\s+the\s+time|your\s+time|the\s+"
    r"(?:opportunity|chance)\s+to\s+(?:interview|speak|meet|talk|chat|connect|learn)|(?:speaking|meeting|talking"
    r"|chatting|interviewing)\s+with\s+me|the\s+(?:great\s+|wonderful\s+|insightful\s+|lovely\s+)?(?:interview"
    r"|conversation|chat|call|discussion|meeting)|having\s+me|(?:the|our)\s+time\s+today)"
    r"|\b(?:it\s+was|i\s+(?:really\s+)?enjoyed)\s+(?:a\s+(?:real\s+)?pleasure\s+|great\s+|wonderful\s+|nice\s+"
    r"|so\s+nice\s+)?(?:speaking|meeting|talking|chatting)\s+(?:with|to)\s+you"
    r"|\bi\s+(?:really\s+)?enjoyed\s+(?:our|the)\s+(?:conversation|interview|chat|discussion)",
    re.IGNORECASE,
)
_RECENT = re.compile(r"\b(?:today|yesterday|this\s+(?:morning|afternoon|evening)|earlier\s+today)\b", re.I)
_FOLLOW_UP = re.compile(
    r"\b(?:following\s+up|follow(?:ing)?\s+up\s+on|wanted\s+to\s+follow\s+up|just\s+checking\s+in|checking\s+in"
    r"|check\s+in\s+on|any\s+updates?|an\s+update\s+on|touch\s+base|status\s+of\s+my\s+(?:application|candidacy)"
    r"|circle\s+back|where\s+things\s+stand|any\s+news\s+(?:on|about|regarding)"
    r"|(?:see|ask|check|wondering)\s+(?:if|whether)\s+there(?:'s|’s|\s+is|\s+are|\s+has\s+been|\s+have\s+been)\s+"
    r"(?:been\s+)?any\s+(?:news|updates?|developments?)|(?:heard|hear)\s+(?:back\s+)?any(?:thing|\s+news)|update\s+(?:on|regarding)"
    r"\s+(?:the|my)\s+(?:position|role|application|candidacy|process|search|decision|timeline))\b",
    re.IGNORECASE,
)

_JOB_ALERT = re.compile(
    r"\b(?:job\s+alerts?|jobs?\s+(?:you\s+(?:may|might)\s+(?:be\s+interested\s+in|like)|for\s+you|matching"
    r"|near\s+you|recommended)|new\s+jobs?\s+(?:matching|for|near|in|at|that)|recommended\s+(?:jobs|for\s+you)"
    r"|\d+\+?\s+new\s+(?:jobs|openings|roles)|(?:is|are)\s+hiring\b|similar\s+jobs|jobs\s+based\s+on\s+your"
    r"|top\s+job\s+picks|your\s+job\s+(?:alert|search)|apply\s+(?:now|today)\s+to|easy\s+apply|be\s+an\s+early\s+applicant)",
    re.IGNORECASE,
)
_MARKETING_SUBJECT = re.compile(
    r"\b(?:newsletter|digest|webinar|webcast|masterclass|register\s+(?:now|today)|save\s+your\s+(?:seat|spot)"
    r"|top\s+\d+\s+(?:\w+\s+)?(?:interview\s+)?(?:questions|tips|mistakes|ways)|ace\s+(?:your|the)\s+(?:next\s+)?interview"
    r"|interview\s+(?:tips|prep(?:aration)?\s+(?:tips|guide|course|kit))|career\s+(?:tips|advice|fair|guide)"
    r"|resume\s+(?:tips|review|template)|salary\s+(?:guide|report|survey)|\d+%\s+off|free\s+trial|last\s+chance"
    r"|limited\s+time|upgrade\s+to|premium|who\s+viewed\s+your\s+profile|profile\s+views?|wants\s+to\s+connect"
    r"|invitation\s+to\s+connect|endorsed\s+you|weekly\s+(?:roundup|update)|e-?book|whitepaper|podcast"
    r"|black\s+friday|cyber\s+monday|early\s+bird|don't\s+miss|join\s+us\s+(?:for|at|live))\b",
    re.IGNORECASE,
)
_MARKETING_BODY = re.compile(
    r"\b(?:unsubscribe|manage\s+(?:your\s+)?(?:email\s+)?(?:preferences|subscriptions?|notifications|alerts)"
    r"|email\s+preferences|view\s+(?:this\s+email\s+|it\s+|this\s+message\s+)?(?:in|on)\s+(?:your|a|the\s+)?\s*browser"
    r"|you(?:'re|\s+are)\s+receiving\s+this\s+(?:e-?mail\s+|message\s+)?because|job\s+alerts?|webinar"
    r"|register\s+(?:now|today|here)|save\s+your\s+(?:seat|spot)|sign\s+up\s+(?:now|today)|\d+%\s+off|discount"
    r"|promo(?:tion)?\s+code|free\s+trial|upgrade\s+(?:now|to)|limited\s+time|subscribe|newsletter|sponsored"
    r"|ace\s+your\s+(?:next\s+)?interview|interview\s+questions)\b",
    re.IGNORECASE,
)

# Why a newsletter reaches the user: they subscribed (not "because you applied", which real process mail says).
_SUBSCRIBED = re.compile(
    r"\b(?:receiving|received|getting)\s+this\s+(?:e-?mail|message|newsletter)?\s*because\s+you\s+(?:joined|subscribed"
    r"|signed\s+up|opted\s+in|are\s+(?:a\s+member|subscribed)|registered\s+for\s+(?:our|the)\s+(?:talent|newsletter))",
    re.IGNORECASE,
)

_ACK = re.compile(
    r"\b(?:we(?:'ve|’ve|\s+have)?\s+(?:successfully\s+)?received\s+your\s+(?:job\s+)?(?:application|resume|cv"
    r"|submission)|your\s+application\s+(?:has\s+been|was|is)\s+(?:successfully\s+)?(?:received|submitted|complete)"
    r"|thank(?:s|\s+you)\s+(?:so\s+much\s+)?for\s+(?:applying|submitting\s+your\s+application|your\s+(?:recent\s+)?"
    r"application|your\s+interest\s+in\s+(?:joining|working)|your\s+interest\s+and\s+application)"
    r"|application\s+(?:received|submitted|confirmation|acknowledg(?:e)?ment)|(?:confirm(?:ing)?|confirmation\s+of)\s+"
    r"(?:the\s+)?receipt\s+of\s+your|successfully\s+applied|you\s+applied\s+(?:to|for)|your\s+application\s+was\s+sent"
    r"|your\s+application\s+(?:to|for)\s+[^.\n]{1,80}?\s+(?:has\s+been|was)\s+(?:received|submitted))",
    re.IGNORECASE,
)

_OFFER = re.compile(
    r"\b(?:(?:pleased|delighted|happy|thrilled|excited|glad|honou?red)\s+to\s+(?:formally\s+)?(?:offer\s+you"
    r"|extend\s+(?:to\s+you\s+)?(?:you\s+)?(?:an|a\s+formal|a\s+verbal|a\s+written|the|this)\s+offer|make\s+you"
    r"\s+an\s+offer|present\s+you\s+(?:with\s+)?an\s+offer)|(?:extend|make|making|extending)\s+(?:you\s+)?an?\s+"
    r"(?:formal\s+|verbal\s+|written\s+|conditional\s+|official\s+)?offer(?:\s+of\s+employment)?(?!\s+to\s+(?:another"
    r"|other|a\s+different))|offer\s+letter|offer\s+of\s+employment|we(?:'d|’d|\s+would)\s+like\s+to\s+offer\s+you"
    r"|move\s+forward\s+with\s+(?:an|a\s+formal|a\s+verbal|the)\s+offer\b(?!\s+(?:to|for)\s+(?:another|other|a\s+different))"
    r"|(?:the|your|our)\s+(?:verbal|written|formal|official)\s+offer\b(?!\s+(?:to|for)\s+(?:another|other|a\s+different))"
    r"|(?:attached|enclosed)\s+(?:is|please\s+find)\s+(?:your|the)\s+(?:formal\s+)?offer|your\s+offer\s+(?:letter"
    r"|package|details)|congratulations[^.\n]{0,60}\boffer\b)",
    re.IGNORECASE,
)
_REJECTION = re.compile(
    r"\b(?:(?:decided|chosen|opted|elected|decision)\s+(?:to\s+)?(?:move|moving|proceed|go)\s+forward\s+with\s+"
    r"(?:(?:an)?other|a\s+different|another)\s+(?:candidates?|applicants?|individuals?)|(?:will|are|won't|will\s+not"
    r"|are\s+not|aren't|not)\s+(?:be\s+)?(?:moving|move|going)\s+forward\s+with\s+your\s+(?:application|candidacy"
    r"|profile)|(?:we|i)(?:'re|’re|\s+are|\s+will|'ll)?\s+not\s+(?:be\s+)?moving\s+forward|(?:won't|will\s+not"
    r"|won’t)\s+be\s+moving\s+forward|decided\s+not\s+to\s+(?:proceed|move\s+forward|pursue|progress|advance)"
    r"|not\s+(?:to\s+)?(?:proceed|progress|advance)\s+(?:further\s+)?with\s+your\s+(?:application|candidacy)"
    r"|(?:pursue|pursuing|proceed\s+with|proceeding\s+with|go\s+with|going\s+with|gone\s+with|went\s+with"
    r"|move\s+forward\s+with|continue\s+with|continuing\s+with|progress\s+with|progressing\s+with)\s+"
    r"(?:other|another|a\s+different)\s+(?:candidates?|applicants?|candidate)|(?:position|role|opening|job|vacancy)"
    r"\s+has\s+(?:now\s+|already\s+)?been\s+filled|(?:we|they)\s+have\s+(?:now\s+|already\s+)?filled\s+(?:the|this)"
    r"\s+(?:role|position)|(?:were|was|have\s+not\s+been|has\s+not\s+been)\s+not\s+selected|not\s+(?:been\s+)?"
    r"selected\s+(?:for|to\s+(?:move|proceed|continue))|regret\s+to\s+(?:inform|let\s+you\s+know|advise)"
    r"|not\s+(?:the\s+|a\s+)?(?:right|best|strong)\s+(?:fit|match)|go(?:ing)?\s+(?:in|with)\s+a\s+different\s+direction"
    r"|no\s+longer\s+(?:under\s+consideration|being\s+considered|considering\s+your)|unable\s+to\s+offer\s+you"
    r"|(?:extended|made)\s+an\s+offer\s+to\s+(?:another|a\s+different|other)|accepted\s+an\s+offer\s+from\s+another"
    r"|candidates?\s+whose\s+(?:qualifications|experience|skills|background)\s+(?:more\s+closely|better)\s+"
    r"(?:match|align|meet)|not\s+be\s+(?:progressing|proceeding|advancing)"
    r"|(?:won't|won’t|will\s+not|wo\s+not)\s+be\s+(?:progressing|taking\s+forward|proceeding\s+with|advancing)\s+"
    r"(?:with\s+)?your\s+(?:application|candidacy)|unsuccessful\s+on\s+this\s+occasion"
    r"|your\s+application\s+(?:was|has\s+been)\s+unsuccessful|will\s+not\s+be\s+(?:offering|extending)\s+(?:you|an)"
    r"|not\s+able\s+to\s+offer\s+you|decided\s+to\s+close\s+(?:the|this)\s+(?:position|role|search|requisition)"
    r"|(?:move|moving|go|going|proceed|proceeding)\s+ahead\s+with\s+(?:(?:an)?other|a\s+different)\s+(?:candidates?|applicants?)"
    r"|(?:move|moving|go|going|proceed|proceeding)\s+(?:ahead|forward)\s+with\s+(?:a|one|another)\s+(?:\w+\s+)?"
    r"(?:candidate|applicant)\s+(?:whose|who)\b"
    r"|(?:position|role|requisition|vacancy|opening|job)\s+has\s+(?:now\s+)?been\s+(?:closed|cancell?ed|withdrawn)\b"
    r"(?!\s+(?:to|for)\s+(?:new\s+|further\s+|external\s+)?(?:applicants|applications|candidates))"
    r"|(?:position|role)\s+will\s+not\s+be\s+filled|(?:won't|won’t|will\s+not)\s+be\s+hiring\s+for\s+(?:it|this|the)\b"
    r"|will\s+not\s+be\s+considered\s+further)",
    re.IGNORECASE,
)
# The writer of a confirmation takes part: "with Lena Vogel and me", "with me and Sam".
_WITH_ME = re.compile(
    r"\bwith\b(?:[^.!?\n]|\n(?![ \t]*\n)){0,120}?\b(?:and|&)\s+(?:me|myself)\b|\bwith\s+(?:me|myself)\s+(?:and|&)\s",
    re.IGNORECASE,
)
_CONDITIONAL = re.compile(r"\b(?:if|unless|in\s+case|should|whether|before|once|prior\s+to|in\s+order\s+to)\b", re.I)

_CANCEL_TEXT = re.compile(
    r"\b(?:(?:your|the|our)\s+(?:upcoming\s+|scheduled\s+)?(?:interview|call|meeting|phone\s+screen|conversation"
    r"|chat|video\s+call)(?:\s+with\s+[\w .'’-]{1,40}?)?(?:\s+(?:on|for)\s+[\w ,/:]{1,40}?)?\s+(?:has\s+been|was|is"
    r"|have\s+been)\s+(?:cancell?ed|called\s+off)|(?:need|have|had)\s+to\s+cancel\s+(?:your|our|the|tomorrow's"
    r"|today's|this)\s+(?:\w+\s+)?(?:interview|call|meeting|chat|conversation)|cancell?ing\s+(?:your|our|the)"
    r"\s+(?:\w+\s+)?(?:interview|call|meeting))",
    re.IGNORECASE,
)
_CANCEL_SUBJECT = re.compile(r"^(?:\W*(?:re|fw|fwd):\s*)*(?:canceled|cancelled)(?:\s+event)?\s*:", re.I)
_RESCHEDULE = re.compile(r"\bre-?schedul", re.I)

_CONFIRM = re.compile(
    r"\b(?:confirm(?:ed|ing|ation)|(?:just\s+)?to\s+confirm\b|(?:i\s+can|happy\s+to)\s+confirm\b|(?:is|has\s+been|have\s+been|are|been|now)\s+(?:scheduled|booked|set|arranged"
    r"|confirmed)|scheduled\s+(?:for|on)|booked\s+(?:for|in)|set\s+for|see\s+you|look(?:ing)?\s+forward\s+to\s+"
    r"(?:speaking|talking|chatting|meeting|seeing|connecting|our)|calendar\s+invit(?:e|ation)|invite\s+(?:has\s+been\s+"
    r"|was\s+)?sent|sent\s+(?:you\s+)?(?:a|an)\s+(?:calendar\s+)?invit|a\s+new\s+event\s+has\s+been\s+scheduled"
    r"|event\s+(?:date|time)|your\s+(?:\w+\s+)?(?:interview|call|meeting|chat|screen)\s+(?:with|at|on|is|for)"
    r"|interview\s+(?:details|information|confirmation|schedule)|details\s+(?:below|for\s+your)|you(?:'re|’re|\s+are)"
    r"\s+(?:all\s+)?(?:set|confirmed|booked)|(?:has\s+been|was|is|been)\s+re-?scheduled|booked\s+you\s+in|booking\s+is\s+confirmed"
    r"|(?:i|we)(?:'ve|’ve|\s+have)\s+(?:booked|locked\s+in|lined\s+up|arranged|scheduled)\b"
    r"|we(?:'ll|’ll|\s+will)\s+(?:call|speak|talk|meet)|talk\s+(?:to\s+you\s+)?then"
    r"|speak\s+(?:with\s+you\s+|to\s+you\s+)?then|invited\s+to\s+(?:a|an|the)\b|invitation|join\s+(?:the\s+)?"
    r"(?:zoom|teams|google\s+meet|meeting|call|video))",
    re.IGNORECASE,
)
_INTERVIEW_CONTEXT = re.compile(
    r"\b(?:interview\w*|phone\s+screen|screening|recruiter\s+call|hiring\s+manager|technical\s+(?:screen|round)"
    r"|onsite|on-site|panel|candidate|position|role|application|chat|call|conversation|meeting|coffee|screen)\b",
    re.IGNORECASE,
)
_PROPOSAL = re.compile(
    r"\b(?:which\s+(?:of\s+these|one|time|slot|option)|(?:do|would|does|will)\s+(?:any\s+of\s+)?(?:these|this|that"
    r"|the\s+following|either)\s+(?:times?\s+|slots?\s+|options?\s+)?work|work\s+for\s+you\s*\?|are\s+you\s+(?:free"
    r"|available)|your\s+availability|following\s+(?:times|slots|options)|options?\s*:|proposed\s+times|let\s+me\s+know"
    r"\s+(?:which|what|if\s+any)|how\s+(?:about|does)|would\s+you\s+be\s+available|please\s+(?:select|choose|pick))",
    re.IGNORECASE,
)
_INVITE = re.compile(
    r"\b(?:(?:like|love|happy|pleased|excited|delighted|glad)\s+to\s+(?:invite\s+you|move\s+(?:you\s+)?forward"
    r"|schedule|set\s+up|arrange|have\s+you|advance\s+you|progress\s+you|bring\s+you|set\s+up)|invite\s+you\s+(?:to|for)"
    r"\s+(?:a|an|the|your)|invitation\s+to\s+(?:a\s+|an\s+|the\s+)?(?:\w+\s+){0,2}(?:interview|round|call|conversation)"
    r"|next\s+(?:round|stage)|(?:second|final|2nd|3rd|third|onsite|on-site|technical|panel|virtual\s+onsite)\s+"
    r"(?:round|interview|stage)|schedule\s+(?:a|an|your|the)\s+(?:time|call|interview|chat|phone\s+screen|conversation"
    r"|meeting)|(?:book|pick|select|choose)\s+(?:a\s+)?(?:time|slot)|share\s+(?:your|some)\s+availability"
    r"|(?:what\s+is|what's|what’s|send\s+(?:me|us)|let\s+(?:me|us)\s+know|provide)\s+your\s+availability"
    r"|available\s+for\s+(?:a|an)\s+(?:\w+\s+)?(?:call|chat|interview|conversation)|(?:times|slots)\s+that\s+work"
    r"|invited\s+you\s+to\s+(?:take|complete)\s+(?:a|an|the|their|our)\b|(?:like|ask|invite)\s+you\s+to\s+(?:complete"
    r"|take)\s+(?:a|an|the|our)\s+(?:\w+\s+){0,3}?(?:assessment|challenge|test|exercise|assignment|take-home"
    r"|task))\b",
    re.IGNORECASE,
)
_NO_FOLLOW_UP = re.compile(
    r"\b(?:please\s+(?:do\s+not|don't|don’t|refrain\s+from)\s+(?:follow(?:ing)?\s+up|contact(?:ing)?|call(?:ing)?"
    r"|reach(?:ing)?\s+out|e-?mail(?:ing)?)|no\s+need\s+to\s+follow\s+up|(?:do\s+not|don't|don’t)\s+(?:need\s+to\s+)?"
    r"follow\s+up|please\s+direct\s+(?:any|all)?\s*(?:further\s+)?(?:questions|inquiries|enquiries|correspondence"
    r"|communications?)\s+(?:to|through|via)|(?:reply|respond|communicate|contact\s+us|get\s+in\s+touch)\s+(?:only\s+)?"
    r"(?:via|through|using|in)\s+(?:the|our)\s+(?:candidate\s+|careers?\s+|applicant\s+|hiring\s+)?(?:portal|platform"
    r"|system|website|app)|(?:questions|updates)\s+(?:should\s+go|can\s+be\s+(?:sent|directed))\s+(?:to|through)"
    r"\s+(?:the|our)\s+(?:candidate\s+|careers?\s+)?portal)",
    re.IGNORECASE,
)
# An attendee's answer to an invitation, as Outlook, Google Calendar and others title it.
_CAL_RESPONSE_SUBJECT = re.compile(
    r"^\s*(?:accepted|tentative|tentatively\s+accepted|declined|new\s+time\s+proposed|angenommen"
    r"|mit\s+vorbehalt\s+angenommen|abgelehnt|accepté|refusé|provisoire|meeting\s+forward\s+notification)\s*:",
    re.IGNORECASE,
)
_CAL_RESPONSE_BODY = re.compile(
    r"\bhas\s+(?:accepted|declined|tentatively\s+accepted|proposed\s+a\s+new\s+time\s+for)\s+(?:this|your|the)\s+"
    r"(?:invitation|meeting|event)\b|\bhas\s+forwarded\s+your\s+meeting\s+request\b",
    re.IGNORECASE,
)
# A recruiter's pitch to a stranger. Two different cues are needed: one alone is common in real processes.
_PITCH = re.compile(
    r"\b(?:(?:i|we)\s+came\s+across\s+your\s+(?:profile|background|resume|cv|experience)|exciting\s+(?:new\s+)?"
    r"(?:opportunit\w*|role|position)|one\s+of\s+(?:my|our)\s+clients|on\s+behalf\s+of\s+(?:a|my|our)\s+client"
    r"|(?:my|our)\s+client\b|(?:are|would)\s+you\s+(?:be\s+)?open\s+to\s+(?:hearing|exploring|discussing|learning"
    r"|a\s+(?:new|quick))|open\s+to\s+new\s+opportunities|i(?:'m|’m|\s+am)\s+a\s+(?:\w+\s+)?recruiter\s+(?:at|with"
    r"|for)|based\s+on\s+your\s+(?:background|profile|experience)|your\s+next\s+(?:move|career\s+move|role))",
    re.IGNORECASE,
)
_WE_WILL_REACH = re.compile(
    r"\bwe(?:'ll|’ll|\s+will)\s+(?:reach\s+out|be\s+reaching\s+out|contact\s+you)(?:\s+to\s+you)?"
    r"(?=\s*(?:[.!]|$|\s+(?:if|should|only|once|when|directly|as\s+soon)))",
    re.IGNORECASE,
)


# ---------------------------------------------------------------------------------------------------------
# facts computed once per message


class Facts:
    """Everything the rules derive from a message, computed lazily and at most once."""

    def __init__(self, message: Message, ctx: DetectContext) -> None:
        self.message = message
        self.ctx = ctx

    @cached_property
    def own(self) -> str:
        """What the sender wrote, without what they quoted."""
        return strip_quoted(self.message.text)

    @cached_property
    def subject(self) -> str:
        return clean_subject(self.message.subject)

    @cached_property
    def both(self) -> str:
        return self.subject + "\n" + self.own

    @cached_property
    def sent_at(self) -> datetime:
        return self.message.date or datetime.now(UTC)

    @cached_property
    def sender_email(self) -> str:
        return self.message.sender.email if self.message.sender else ""

    @cached_property
    def from_user(self) -> bool:
        return self.message.folder == FolderRole.SENT or self.ctx.is_user(self.sender_email)

    @cached_property
    def auto_submitted(self) -> str:
        return (self.message.header("auto-submitted") or "").strip().lower()

    @cached_property
    def machine_generated(self) -> bool:
        """Headers say no person wrote this."""
        auto = self.auto_submitted
        precedence = (self.message.header("precedence") or "").strip().lower()
        return (bool(auto) and not auto.startswith("no")) or precedence in {"bulk", "junk", "list", "auto_reply"}

    @cached_property
    def listed(self) -> bool:
        """Sent through a mailing list or bulk mailer."""
        m = self.message
        precedence = (m.header("precedence") or "").strip().lower()
        return bool(m.header("list-id") or m.header("list-unsubscribe")) or precedence in {"bulk", "list", "junk"}

    @cached_property
    def human_sender(self) -> bool:
        return bool(self.sender_email) and is_human(self.sender_email) and not self.machine_generated

    @cached_property
    def calendar(self) -> CalendarEvent | None:
        for ics in self.message.calendars:
            event = read_calendar(ics, self.ctx, self.sent_at)
            if event is not None and (event.interview is not None or event.cancelled):
                return event
        return None

    @cached_property
    def times(self) -> list[FoundTime]:
        earliest = self.sent_at - timedelta(hours=1)
        found = find_times(self.own[:20_000], self.sent_at, self.ctx)
        return [f for f in found if f.start >= earliest and f.start <= self.sent_at + timedelta(days=366)]

    @cached_property
    def deadline(self) -> Deadline | None:
        return find_deadline(self.own, self.sent_at, self.ctx.zone)

    @cached_property
    def offer(self) -> re.Match[str] | None:
        return _unconditional(_OFFER, self.both)

    @cached_property
    def rejection(self) -> re.Match[str] | None:
        return _unconditional(_REJECTION, self.both)

    @cached_property
    def is_reply(self) -> bool:
        subject = self.message.subject
        return bool(self.message.in_reply_to) or bool(re.match(r"^\s*(?:re|aw|sv|antw)\s*:", subject, re.I))

    @cached_property
    def invite(self) -> re.Match[str] | None:
        # A reply's subject names its thread ("Re: Platform Engineer - 2nd stage"): only new words invite.
        return _unconditional(_INVITE, self.own if self.is_reply else self.both)

    @cached_property
    def confirmed_time(self) -> FoundTime | None:
        """A single interview time the text confirms (not one of several proposed slots)."""
        if not self.times or not _INTERVIEW_CONTEXT.search(self.both):
            return None
        cue = _CONFIRM.search(self.both)
        if cue is None:
            return None
        distinct = {f.start for f in self.times}
        if _PROPOSAL.search(self.own) and (len(distinct) > 1 or "?" in self.own):
            return None
        return self.times[0]

    @cached_property
    def personal(self) -> bool:
        """Signs that a message is about this candidate's own process (guards bulk detection)."""
        cal = self.calendar
        if cal is not None and cal.is_invitation:
            return True
        return bool(self.offer or self.rejection or self.confirmed_time is not None)

    @cached_property
    def no_follow_up(self) -> bool:
        if _NO_FOLLOW_UP.search(self.own):
            return True
        for m in _WE_WILL_REACH.finditer(self.own):
            sentence = _sentence_at(self.own, m.start())
            if find_deadline(sentence, self.sent_at, self.ctx.zone) is None:
                return True
        return False

    @cached_property
    def person(self) -> Address | None:
        """The human who wrote: the sender, or for an ATS relay or robot the human Reply-To."""
        sender = self.message.sender
        real = [a for a in self.message.reply_to if is_human(a.email) and not is_ats_domain(a.email)]
        if sender is not None and self.human_sender and not is_ats_domain(sender.email):
            return sender
        if real and not self.ctx.is_user(real[0].email):
            return real[0]
        return sender if sender is not None and self.human_sender else None

    def people(self) -> tuple[Address, ...]:
        cal = self.calendar
        people: list[Address] = []
        if cal is not None:
            if cal.interview is not None:
                people.extend(cal.interview.interviewers)
            if cal.organizer is not None:
                people.append(cal.organizer)
        return tuple(people)

    @cached_property
    def company(self) -> str | None:
        summary = self.calendar.summary if self.calendar else ""
        # "an interview with Mark Obi, their Head of Data": a person the text names is not the company.
        known = self.message.recipients + self.message.reply_to
        _, named = find_interviewers(self.own, known, self.ctx.user_names)
        return find_company(self.message, self.own, summary, self.people(), exclude_names=named)

    @cached_property
    def role(self) -> str | None:
        summary = self.calendar.summary if self.calendar else ""
        return find_role(self.message.subject, self.own, summary)

    def verdict(
        self,
        kind: Kind,
        rule: str,
        reason: str,
        interview: InterviewInfo | None = None,
        employer: bool = True,
    ) -> Verdict:
        """A verdict; employer kinds also carry company, role, deadline and the no-follow-up preference."""
        if not employer:
            return Verdict(kind=kind, rule=rule, reason=reason)
        return Verdict(
            kind=kind,
            rule=rule,
            reason=reason,
            company=self.company,
            role=self.role,
            interview=interview,
            deadline=self.deadline,
            no_follow_up=self.no_follow_up,
        )


def _unconditional(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first match not introduced by "if", "unless", "before", … in the few words before it."""
    for m in pattern.finditer(text):
        window = text[max(0, m.start() - 40) : m.start()]
        window = re.split(r"[.!?\n]", window)[-1]
        if not _CONDITIONAL.search(window):
            return m
    return None


def _sentence_at(text: str, pos: int) -> str:
    start = max(text.rfind(".", 0, pos), text.rfind("\n", 0, pos), text.rfind("!", 0, pos)) + 1
    ends = [i for i in (text.find(".", pos), text.find("\n", pos), text.find("!", pos)) if i != -1]
    return text[start : min(ends) if ends else len(text)]


def _quote(m: re.Match[str] | str) -> str:
    words = " ".join((m.group(0) if isinstance(m, re.Match) else m).split())
    return f'"{words[:80]}"'


# A tiny cache: the rules of one `detect` call share one Facts object.
_current: dict[tuple[int, int], Facts] = {}


def facts(message: Message, ctx: DetectContext) -> Facts:
    key = (id(message), id(ctx))
    found = _current.get(key)
    if found is None or found.message is not message or found.ctx is not ctx:
        _current.clear()
        found = Facts(message, ctx)
        _current[key] = found
    return found


# ---------------------------------------------------------------------------------------------------------
# the rules


def bounce(message: Message, ctx: DetectContext) -> Verdict | None:
    """Delivery failures: multipart/report, mailer-daemon/postmaster senders, "Undeliverable" subjects."""
    f = facts(message, ctx)
    local = f.sender_email.partition("@")[0]
    if message.is_report:
        return f.verdict(Kind.BOUNCE, "bounce", "the message is a delivery report", employer=False)
    if re.match(r"^(?:mailer-?daemon|postmaster|mail-?daemon)$", local, re.I):
        return f.verdict(Kind.BOUNCE, "bounce", f"sent by {f.sender_email}", employer=False)
    if m := _BOUNCE_SUBJECT.search(message.subject):
        return f.verdict(Kind.BOUNCE, "bounce", f"the subject says {_quote(m)}", employer=False)
    return None


def auto_reply(message: Message, ctx: DetectContext) -> Verdict | None:
    """Out-of-office and other automatic replies (RFC 3834 headers, "Automatic reply:" subjects, OOO wording)."""
    f = facts(message, ctx)
    if f.from_user:
        return None
    auto = f.auto_submitted
    if auto.startswith("auto-replied"):
        return f.verdict(Kind.AUTO_REPLY, "auto_reply", "Auto-Submitted: auto-replied", employer=False)
    for header in ("x-autoreply", "x-autorespond", "x-autoresponder"):
        if message.header(header):
            return f.verdict(Kind.AUTO_REPLY, "auto_reply", f"it has an {header} header", employer=False)
    if (message.header("precedence") or "").strip().lower() == "auto_reply":
        return f.verdict(Kind.AUTO_REPLY, "auto_reply", "Precedence: auto_reply", employer=False)
    if m := _OOO_SUBJECT.search(message.subject):
        return f.verdict(Kind.AUTO_REPLY, "auto_reply", f"the subject says {_quote(m)}", employer=False)
    # Mail that is short and says nothing about the application: a ticket receipt, or a mailbox nobody reads.
    quiet = len(f.own) < 1500 and not (f.offer or f.rejection or f.invite or f.times)
    ticket = _TICKET_SUBJECT.search(message.subject) or _TICKET_BODY.search(f.own[:800])
    if ticket and quiet:
        return f.verdict(Kind.AUTO_REPLY, "auto_reply", f"a helpdesk receipt: {_quote(ticket)}", employer=False)
    if (gone := _GONE_BODY.search(f.own[:600])) and quiet:
        return f.verdict(Kind.AUTO_REPLY, "auto_reply", f"the writer is gone: {_quote(gone)}", employer=False)
    head = f.own[:600]
    m_body = _OOO_BODY.search(head)
    if m_body is None:
        return None
    generated = bool(auto and not auto.startswith("no")) or bool(
        message.header("x-auto-response-suppress") or message.header("x-ms-exchange-generated-message-source")
    )
    if generated:
        return f.verdict(Kind.AUTO_REPLY, "auto_reply", f"automatic mail saying {_quote(m_body)}", employer=False)
    # No header says so: only a short note that is about being away, and says nothing about the application.
    if (
        len(f.own) < 1500
        and _OOO_ABSENCE.search(f.own[:800])
        and f.deadline is None
        and not (f.offer or f.rejection or f.invite or f.times)
    ):
        return f.verdict(Kind.AUTO_REPLY, "auto_reply", f"an away notice: {_quote(m_body)}", employer=False)
    return None


def calendar_response(message: Message, ctx: DetectContext) -> Verdict | None:
    """An attendee's calendar answer ("Accepted: Interview …", METHOD:REPLY): the calendar wrote it, not a reply."""
    f = facts(message, ctx)
    if f.from_user:
        return None
    if f.calendar is not None and f.calendar.method == "REPLY":
        return f.verdict(Kind.AUTO_REPLY, "calendar_response", "a calendar reply (METHOD:REPLY)", employer=False)
    m = _CAL_RESPONSE_SUBJECT.match(message.subject)
    if m is None:
        return None
    body = _CAL_RESPONSE_BODY.search(f.own)
    # Outlook sends these with an empty body, or with a one-line comment of the attendee's.
    if body or len(f.own) < 300 or any(re.search(r"^METHOD:\s*REPLY", c, re.M | re.I) for c in message.calendars):
        return f.verdict(
            Kind.AUTO_REPLY, "calendar_response", f"a calendar response: the subject says {_quote(m)}", employer=False
        )
    return None


def sent_agent_draft(message: Message, ctx: DetectContext) -> Verdict | None:
    """A sent message that started as one of our drafts: its X-Followup-Agent-Key names the step."""
    f = facts(message, ctx)
    key = (message.header("x-followup-agent-key") or "").strip()
    if not key or not f.from_user:
        return None
    if "thank_you" in key:
        return f.verdict(Kind.SENT_THANK_YOU, "sent_agent_draft", f"our thank-you draft {key}", employer=False)
    if "follow_up" in key:
        return f.verdict(Kind.SENT_FOLLOW_UP, "sent_agent_draft", f"our follow-up draft {key}", employer=False)
    return None


def sent_mail(message: Message, ctx: DetectContext) -> Verdict | None:
    """Mail the user sent: a thank-you note, a follow-up, or something else."""
    f = facts(message, ctx)
    if not f.from_user:
        return None
    thanks = _THANK_YOU.search(f.both)
    follow = _FOLLOW_UP.search(f.both)
    # A follow-up usually thanks again too; a thank-you is about a conversation that just happened.
    if follow and not (thanks and _RECENT.search(f.own)):
        return f.verdict(Kind.SENT_FOLLOW_UP, "sent_mail", f"the user wrote {_quote(follow)}", employer=False)
    if thanks:
        return f.verdict(Kind.SENT_THANK_YOU, "sent_mail", f"the user wrote {_quote(thanks)}", employer=False)
    return f.verdict(Kind.SENT_OTHER, "sent_mail", "the user sent it", employer=False)


def bulk(message: Message, ctx: DetectContext) -> Verdict | None:
    """Job alerts, newsletters, webinars and marketing; never a message about the user's own process."""
    f = facts(message, ctx)
    cal = f.calendar
    invited = cal is not None and cal.is_invitation
    board = is_job_board(f.sender_email)
    alert = _JOB_ALERT.search(f.subject) or (_JOB_ALERT.search(f.own[:3000]) if board or f.listed else None)
    if board and alert and not invited and not (f.offer or f.rejection):
        return f.verdict(Kind.BULK, "bulk", f"a job-board alert: {_quote(alert)}", employer=False)
    # A marketing subject sent in bulk is marketing even if the body says "your interview" to sound personal.
    subject_hit = _MARKETING_SUBJECT.search(f.subject)
    if subject_hit and (f.listed or not f.human_sender) and not (invited or f.offer or f.rejection):
        return f.verdict(Kind.BULK, "bulk", f"marketing: the subject says {_quote(subject_hit)}", employer=False)
    if f.personal:
        return None  # a real confirmation may carry List-Unsubscribe and an "ace your interview" tips link
    if f.invite and not (f.listed and _SUBSCRIBED.search(f.own)):
        return None  # but "5 tips for your next technical interview" in a newsletter is no invitation
    if board and (f.listed or is_automated_address(f.sender_email)):
        return f.verdict(Kind.BULK, "bulk", f"an automated job-board mail from {f.sender_email}", employer=False)
    if alert and (f.listed or not f.human_sender):
        return f.verdict(Kind.BULK, "bulk", f"a job alert: {_quote(alert)}", employer=False)
    if message.header("list-id") or message.header("list-post"):
        return f.verdict(Kind.BULK, "bulk", "mailing-list mail (List-Id)", employer=False)
    if f.listed or is_bulk_sender_domain(f.sender_email):
        if is_bulk_sender_domain(f.sender_email) and not f.human_sender:
            return f.verdict(Kind.BULK, "bulk", f"sent by a bulk mailer ({f.sender_email})", employer=False)
        hits = {h.lower() for h in _MARKETING_BODY.findall(f.own)}
        strong = sorted(h for h in hits if not h.startswith(("unsubscribe", "subscribe")))
        if (len(hits) >= 2 and strong) or (strong and not f.human_sender):
            return f.verdict(Kind.BULK, "bulk", f"bulk mail mentioning {_quote(strong[0])}", employer=False)
    return None


def acknowledgement(message: Message, ctx: DetectContext) -> Verdict | None:
    """ "We received your application" (unless the same message also invites, schedules, offers or rejects)."""
    f = facts(message, ctx)
    m = _ACK.search(f.both)
    if m is None or f.offer or f.rejection or f.invite or f.confirmed_time is not None:
        return None
    if f.calendar is not None and (f.calendar.is_invitation or f.calendar.cancelled):
        return None
    return f.verdict(Kind.ACKNOWLEDGEMENT, "acknowledgement", f"it says {_quote(m)}")


def offer(message: Message, ctx: DetectContext) -> Verdict | None:
    """A job offer: "pleased to offer you", "offer letter", "extend an offer", "offer of employment"."""
    f = facts(message, ctx)
    if f.offer is None:
        return None
    if f.rejection is not None and re.search(r"offer", f.rejection.group(0), re.I):
        return None  # "we have extended an offer to another candidate"
    return f.verdict(Kind.OFFER, "offer", f"it says {_quote(f.offer)}")


def rejection(message: Message, ctx: DetectContext) -> Verdict | None:
    """A rejection, soft ones included: "not moving forward", "other candidates", "position has been filled"."""
    f = facts(message, ctx)
    if f.rejection is None:
        return None
    return f.verdict(Kind.REJECTION, "rejection", f"it says {_quote(f.rejection)}")


def cancellation(message: Message, ctx: DetectContext) -> Verdict | None:
    """An interview was cancelled: a calendar CANCEL, or "your interview has been cancelled"."""
    f = facts(message, ctx)
    cal = f.calendar
    if cal is not None and cal.cancelled:
        what = "METHOD:CANCEL" if cal.method == "CANCEL" else "STATUS:CANCELLED"
        return f.verdict(Kind.CANCELLATION, "cancellation", f"the calendar invite says {what}", cal.interview)
    if cal is not None and cal.is_invitation:
        return None  # a new invitation in the same message wins over words about the old one
    m = _CANCEL_TEXT.search(f.both) or _CANCEL_SUBJECT.search(message.subject)
    if m is None:
        return None
    if _RESCHEDULE.search(f.own) and f.confirmed_time is not None:
        return None  # moved, not cancelled: the interview rule picks up the new time
    return f.verdict(Kind.CANCELLATION, "cancellation", f"it says {_quote(m)}")


def interview_calendar(message: Message, ctx: DetectContext) -> Verdict | None:
    """A calendar invitation (text/calendar or .ics) for a timed event."""
    f = facts(message, ctx)
    cal = f.calendar
    if cal is None or not cal.is_invitation or cal.interview is None:
        return None
    info = cal.interview
    if not info.interviewers:
        # Invites sent by a robot (GoodTime, Calendly) name the people in the description or the mail.
        addrs, names = find_interviewers(
            cal.description + "\n" + f.own, message.recipients + message.reply_to, ctx.user_names
        )
        info = InterviewInfo(
            start=info.start,
            end=info.end,
            interviewers=tuple(a for a in addrs if not ctx.is_user(a.email)),
            interviewer_names=names,
            uid=info.uid,
            sequence=info.sequence,
            location=info.location,
        )
    title = f'"{cal.summary[:60]}"' if cal.summary else "an event"
    return f.verdict(
        Kind.INTERVIEW,
        "interview_calendar",
        f"a calendar invitation for {title} at {info.start.isoformat(timespec='minutes')}",
        info,
    )


def interview_text(message: Message, ctx: DetectContext) -> Verdict | None:
    """A confirmation in words: a confirming phrase and one date with a time ("Tuesday, March 10 at 2pm ET")."""
    f = facts(message, ctx)
    found = f.confirmed_time
    if found is None:
        return None
    known = message.recipients + message.reply_to + ((message.sender,) if message.sender else ())
    addrs, names = find_interviewers(f.own, known, ctx.user_names)
    addrs = tuple(a for a in addrs if not ctx.is_user(a.email))
    company = (f.company or "").lower()
    names = tuple(n for n in names if n.lower() != company)
    if f.person is not None and f.person not in addrs and _WITH_ME.search(f.own):
        addrs = (*addrs, f.person)  # "with Lena Vogel (Head of Engineering) and me": the writer interviews too
    if not addrs and not names:
        # A recruiter confirming "our call" is the person the candidate will talk to; a scheduling robot's
        # Reply-To (Calendly, an ATS) is the human behind the booking.
        if f.person is not None:
            addrs = (f.person,)
        else:
            addrs = tuple(a for a in message.reply_to if is_human(a.email) and not ctx.is_user(a.email))[:1]
    end = found.end
    loop_end = schedule_end(f.own, found)
    if loop_end is not None and (end is None or loop_end > end):
        end = loop_end
    info = InterviewInfo(start=found.start, end=end, interviewers=addrs, interviewer_names=names)
    cue = _CONFIRM.search(f.both)
    return f.verdict(
        Kind.INTERVIEW,
        "interview_text",
        f"it confirms {found.start.isoformat(timespec='minutes')} ({_quote(cue) if cue else 'a time'})",
        info,
    )


def cold_outreach(message: Message, ctx: DetectContext) -> Verdict | None:
    """A recruiter's pitch ("I came across your profile", "my client"): a person wrote it, but it starts nothing.

    It is a reply (a person), so it must not reach the invitation rule, whose verdict creates an application.
    """
    f = facts(message, ctx)
    if not f.human_sender:
        return None
    hits = {" ".join(m.group(0).lower().split()) for m in _PITCH.finditer(f.own)}
    if len(hits) < 2:
        return None
    if f.invite is not None and re.search(
        r"\b(?:interview|round|stage)\b", _sentence_at(f.invite.string, f.invite.start()), re.I
    ):
        return None  # an agency inviting to its client's interview ("my client would like to invite you to …")
    return f.verdict(Kind.REPLY, "cold_outreach", f"a recruiter's pitch: {', '.join(sorted(hits))[:120]}")


def interview_invitation(message: Message, ctx: DetectContext) -> Verdict | None:
    """An invitation to interview, or to a further round, without a fixed time yet ("schedule a time")."""
    f = facts(message, ctx)
    if f.invite is not None:
        return f.verdict(Kind.INTERVIEW, "interview_invitation", f"it says {_quote(f.invite)}")
    # Several proposed slots ("do any of these times work for you?"): scheduling is under way.
    proposal = _PROPOSAL.search(f.own)
    if proposal and f.times and _INTERVIEW_CONTEXT.search(f.both):
        return f.verdict(
            Kind.INTERVIEW, "interview_invitation", f"it proposes times for an interview: {_quote(proposal)}"
        )
    return None


def reply(message: Message, ctx: DetectContext) -> Verdict | None:
    """Any other message written by a person."""
    f = facts(message, ctx)
    if not f.human_sender:
        return None
    return f.verdict(Kind.REPLY, "reply", f"written by a person ({f.sender_email})")


def unrelated(message: Message, ctx: DetectContext) -> Verdict | None:
    """Everything else: automated mail with nothing specific in it."""
    f = facts(message, ctx)
    who = f.sender_email or "an unknown sender"
    why = "machine-generated" if f.machine_generated or not is_human(who) else "nothing matched"
    return f.verdict(Kind.UNRELATED, "unrelated", f"{why} mail from {who}", employer=False)


RULES: tuple[tuple[str, Rule], ...] = (
    ("bounce", bounce),
    ("auto_reply", auto_reply),
    ("calendar_response", calendar_response),
    ("sent_agent_draft", sent_agent_draft),
    ("sent_mail", sent_mail),
    ("bulk", bulk),
    ("acknowledgement", acknowledgement),
    ("offer", offer),
    ("rejection", rejection),
    ("cancellation", cancellation),
    ("interview_calendar", interview_calendar),
    ("interview_text", interview_text),
    ("cold_outreach", cold_outreach),
    ("interview_invitation", interview_invitation),
    ("reply", reply),
    ("unrelated", unrelated),
)
