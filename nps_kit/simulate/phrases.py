"""Invented words for the demo world: company and person names, comment phrases per theme."""

from __future__ import annotations

import numpy as np

# ---------------------------------------------------------------------------------------------
# word lists (all invented)
COMPANY_FIRST = np.array([
    "Amber", "Apex", "Birch", "Blue Harbor", "Brightwater", "Cedar", "Cobalt", "Copper", "Crescent",
    "Delta", "Ember", "Evergreen", "Falcon", "Fernhill", "Granite", "Harbor", "Helix", "Ironwood",
    "Juniper", "Keystone", "Lakeside", "Lumen", "Maple", "Meridian", "Northgate", "Oakridge",
    "Orchid", "Pinecrest", "Quartz", "Redwood", "Riverbend", "Saffron", "Silverline", "Summit",
    "Tidewater", "Trillium", "Vantage", "Westbrook", "Willow", "Zephyr",
])
COMPANY_SECOND = np.array([
    "Analytics", "Bakery", "Builders", "Clinics", "Consulting", "Dental", "Design", "Energy",
    "Engineering", "Foods", "Freight", "Health", "Hotels", "Industries", "Insurance", "Labs",
    "Logistics", "Media", "Motors", "Outfitters", "Partners", "Pharma", "Print", "Retail",
    "Robotics", "Software", "Solar", "Systems", "Textiles", "Travel",
])
COMPANY_FORM = np.array(["Ltd", "Inc.", "GmbH", "LLC", "Co.", "Group", "S.A.", "plc"])
FIRST_NAMES = np.array([
    "Ada", "Ahmed", "Alice", "Amara", "Ana", "Ben", "Carla", "Chen", "Daniel", "Elena", "Emma",
    "Farah", "Felix", "Grace", "Hannah", "Hugo", "Ines", "Ivan", "Jade", "James", "Jonas", "Julia",
    "Kenji", "Lara", "Leo", "Lina", "Lucas", "Maria", "Mateo", "Maya", "Mia", "Nadia", "Noah",
    "Olga", "Omar", "Paul", "Priya", "Rosa", "Sam", "Sara", "Tariq", "Tom", "Vera", "Yusuf", "Zoe",
])
LAST_NAMES = np.array([
    "Adams", "Alvarez", "Bauer", "Becker", "Brown", "Costa", "Dubois", "Fischer", "Garcia",
    "Hansen", "Ito", "Jensen", "Kim", "Kowalski", "Larsen", "Lopez", "Martin", "Meyer", "Moreau",
    "Nakamura", "Novak", "Okafor", "Patel", "Perez", "Quinn", "Rossi", "Santos", "Schmidt", "Silva",
    "Singh", "Sousa", "Tanaka", "Weber", "Wilson", "Wong", "Yilmaz",
])
# colleagues named in employee comments (invented)
COLLEAGUES = np.array(["Priya Raman", "Tom Becker", "Ana Sousa", "Jonas Weber", "Maya Chen",
                        "Omar Haddad"])

# ---------------------------------------------------------------------------------------------
# phrase banks: category -> theme -> three phrases (customers) / two phrases (employees)
CUSTOMER_PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "detractor": {
        "price": (
            "Too expensive for what we get. The last price increase was hard to justify.",
            "The licence cost keeps going up while the product stays the same.",
            "Pricing is confusing and we were billed for seats we never used.",
        ),
        "support": (
            "Support takes days to answer a ticket and the first reply rarely solves anything.",
            "We waited two weeks for a fix and nobody kept us informed.",
            "The support team keeps closing tickets before the problem is solved.",
        ),
        "delivery": (
            "The last two deliveries arrived late and one was incomplete.",
            "Shipments keep slipping and we had to explain the delays to our own customers.",
            "Delivery dates are promised and then missed without notice.",
        ),
        "product quality": (
            "Too many bugs after every update; things that worked last month break.",
            "The product crashes when we load larger files.",
            "Quality has gone down. We found data errors in the exports twice this quarter.",
        ),
        "ease of use": (
            "The interface is clumsy and simple tasks take far too many clicks.",
            "Hard to use. New colleagues cannot find anything without help.",
            "The new menu layout is confusing and slows the team down.",
        ),
        "reporting": (
            "The reports are hard to customise and the numbers do not match our own records.",
            "Reporting is slow and we still export everything to spreadsheets.",
            "Dashboards time out and scheduled reports often fail to arrive.",
        ),
        "onboarding": (
            "Onboarding was chaotic; we had no clear plan for the first month.",
            "Setup took much longer than we were told and the training was too generic.",
            "Nobody explained the basics when we started, so we learned by trial and error.",
        ),
    },
    "passive": {
        "price": (
            "Fair value, though the price is at the upper end of what we would pay.",
            "Good product, but the renewal price made us look at alternatives.",
            "Price is acceptable; a cheaper plan for small teams would help.",
        ),
        "support": (
            "Support is friendly but can be slow at busy times.",
            "Support solves problems eventually; faster first replies would help.",
            "Mostly fine support, although we sometimes have to chase answers.",
        ),
        "delivery": (
            "Deliveries are mostly on time, with the odd delay.",
            "Delivery is okay; tracking information could be clearer.",
            "Usually arrives as planned, but not always.",
        ),
        "product quality": (
            "Solid product overall, a few bugs still annoy us.",
            "Works well for the core tasks; some features feel unfinished.",
            "Reliable most of the time, with occasional glitches after updates.",
        ),
        "ease of use": (
            "Easy enough once you know it, but the learning curve is steep.",
            "Usable, though some screens are cluttered.",
            "Fine for daily work; advanced settings are hard to find.",
        ),
        "reporting": (
            "Reports cover the basics; we would like more flexible filters.",
            "Reporting is decent but exporting could be simpler.",
            "The standard reports are useful, custom ones less so.",
        ),
        "onboarding": (
            "Onboarding was okay, some documentation was out of date.",
            "The setup went reasonably well after a slow start.",
            "Training helped, though it could be shorter and more practical.",
        ),
    },
    "promoter": {
        "price": (
            "Great value for money compared with what we used before.",
            "Worth every cent; it paid for itself within months.",
            "Fair and transparent pricing, no surprises on the invoice.",
        ),
        "support": (
            "Support is fast and really knows the product.",
            "Every ticket was answered the same day. Excellent support team.",
            "Our account manager and the support staff are always helpful.",
        ),
        "delivery": (
            "Deliveries always arrive on time and complete.",
            "Fast, reliable delivery every single time.",
            "Never had a late shipment in two years.",
        ),
        "product quality": (
            "Rock solid product, we rarely see a bug.",
            "High quality and stable, even with large data volumes.",
            "The product just works and keeps getting better.",
        ),
        "ease of use": (
            "Very easy to use; the team needed almost no training.",
            "Intuitive interface, everything is where you expect it.",
            "Simple to use and quick to get things done.",
        ),
        "reporting": (
            "The reports save us hours every week.",
            "Great dashboards; management loves the monthly report.",
            "Reporting is flexible and the numbers are always right.",
        ),
        "onboarding": (
            "Smooth onboarding, we were up and running in a week.",
            "The onboarding team was excellent and well organised.",
            "Clear setup plan and good training at the start.",
        ),
    },
}

EMPLOYEE_PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "detractor": {
        "workload": ("The workload is unsustainable and overtime has become normal.",
                     "Too many parallel projects and not enough people to do them."),
        "management": ("Decisions come from above without explanation.",
                       "My manager rarely has time for one-to-ones and feedback is vague."),
        "pay": ("Salaries are below market and the last raise did not cover inflation.",
                "Pay is not transparent and bonuses feel arbitrary."),
        "career growth": ("There is no visible path to promotion here.",
                          "Training budgets were cut and I am not learning anything new."),
        "culture": ("Teams work in silos and blame each other when things go wrong.",
                    "People who raise problems are seen as negative."),
        "tools": ("Our laptops are slow and the internal tools keep crashing.",
                  "We waste hours every week on outdated software."),
        "remote work": ("The new office attendance rule ignores how our team actually works.",
                        "Remote colleagues are left out of meetings and decisions."),
    },
    "passive": {
        "workload": ("Workload is manageable most months, but peaks are hard.",
                     "Busy but mostly fine; planning could be better."),
        "management": ("Management means well but communication could be clearer.",
                       "My manager is supportive, senior leadership less visible."),
        "pay": ("Pay is okay, benefits could be better.",
                "Salary is fair for my role, the review process is slow."),
        "career growth": ("Some chances to grow, but you have to push for them.",
                          "Career paths exist on paper; in practice it depends on your manager."),
        "culture": ("Nice colleagues, though the culture differs a lot between teams.",
                    "Friendly place overall; cross-team work could be easier."),
        "tools": ("Tools are adequate, a few systems really need an upgrade.",
                  "Mostly fine equipment, the ticketing system is painful."),
        "remote work": ("Hybrid work is fine, the rules change too often.",
                        "Remote days help; office days feel a bit pointless."),
    },
    "promoter": {
        "workload": ("Workload is well balanced and my team protects focus time.",
                     "Realistic deadlines and good planning; I rarely work late."),
        "management": ("My manager gives clear goals and honest feedback.",
                       "Leadership is open about decisions and listens to us."),
        "pay": ("Competitive salary and a transparent pay structure.",
                "Fair pay and the benefits are genuinely good."),
        "career growth": ("I have been promoted twice and had great mentoring.",
                          "Lots of room to learn and take on new responsibilities."),
        "culture": ("Great colleagues who help each other without being asked.",
                    "A respectful, open culture where ideas are heard."),
        "tools": ("We get good equipment and modern tools.",
                  "The tooling makes daily work easy."),
        "remote work": ("Flexible remote work makes a huge difference for my family.",
                        "I can work from anywhere and the team makes it work."),
    },
}

EMPLOYEE_NAME_PHRASES: dict[str, tuple[str, ...]] = {
    "detractor": (" I raised this with {name} twice and nothing happened.",
                  " {name} promised changes last year; none came."),
    "passive": (" {name} tries to help, but it takes time.",
                " Things improved a bit since {name} joined."),
    "promoter": (" Special thanks to {name} for the support.",
                 " {name} is the best manager I have had."),
}

CONTACT_SUFFIXES = (" You can reach me at {email}.", " Please e-mail me at {email}.",
                     " Call me on {phone} if you want details.", " My direct line is {phone}.")


__all__ = [
    "COLLEAGUES", "COMPANY_FIRST", "COMPANY_FORM", "COMPANY_SECOND", "CONTACT_SUFFIXES",
    "CUSTOMER_PHRASES", "EMPLOYEE_NAME_PHRASES", "EMPLOYEE_PHRASES", "FIRST_NAMES", "LAST_NAMES",
]
