-- The meeting this tracker exists for, and its three strategic directions. As a migration it runs
-- exactly once, on the first start of an empty database.
INSERT INTO meetings (id, title, held_on, location, summary, created_at, updated_at)
VALUES (1,
        'Special meeting on implementing the outcomes of the China–Central Asia Summit',
        '2023-06-05',
        'Xi''an Jiaotong University',
        'Set three strategic directions and asked for dedicated task forces that coordinate planning, implement specialized initiatives, and ensure prompt execution. Participants proposed work on industry–education integration, base platforms and overseas innovation centers, overseas talent cultivation, technology transfer, and cultural exchange cooperation.',
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

INSERT INTO directions (meeting_id, number, title, description, created_at, updated_at)
VALUES
    (1, 1,
     'Use the University Alliance of the Silk Road (UASR) as a platform to create a new engine of integration',
     'Align with national strategies, aggregate overseas innovative resources, connect with the needs of industries along the Silk Road, attract capital, foster an innovation ecosystem, cultivate talent for innovation.',
     strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    (1, 2,
     'Look beyond the UASR and strengthen degree and non-degree programs',
     'Bring in high-quality overseas resources from industry and enterprises, deepen industry–education integration, advance educational and technological cooperation along the Silk Road, transfer and commercialize scientific achievements, join the "dual-circulation" development pattern.',
     strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    (1, 3,
     'Form a unified strategy with a global perspective, mobilizing all available resources',
     'Set up dedicated task forces to coordinate planning, implement specialized initiatives and ensure prompt execution.',
     strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
